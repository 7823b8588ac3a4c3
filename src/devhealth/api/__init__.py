"""`devhealth api`: the marts served read-only over REST (FastAPI, OpenAPI) and GraphQL (Strawberry).

`app.create_app` assembles one ASGI app from the mart registry (`resources`), the warehouse reader
(`engine`), API-key checks and rate limits (`auth`); `server.serve` runs it under uvicorn.
"""
