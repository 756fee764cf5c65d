"""Starting an organisation: the first-run /setup, self-service sign-up, the guided start,
`create-org` and `remove-demo`."""
