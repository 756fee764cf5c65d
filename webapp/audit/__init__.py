"""The audit trail of admin and manager actions."""
