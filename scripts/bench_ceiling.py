"""The ceiling the benchmark compares against: a bare Flask JSON endpoint, served by gunicorn
with the same settings as the app (`gunicorn scripts.bench_ceiling:app`)."""

from __future__ import annotations

from flask import Flask, jsonify

app = Flask(__name__)


@app.get("/ping")
def ping() -> object:
    """The least a Flask request can do: route, build a small JSON answer."""
    return jsonify(ok=True, service="ceiling")
