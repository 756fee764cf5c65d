"""Health checks for load balancers and orchestrators: liveness and readiness."""
