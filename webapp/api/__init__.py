"""The JSON API under /api/v1 (flask-smorest), on the same services as the pages."""
