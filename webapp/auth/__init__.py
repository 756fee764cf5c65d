"""Who someone is: signing in and out, invite links, the user loader."""
