"""Local test stack for dynroute: moto + a stand-in ECS scheduler + Traefik.

See stack/README.md. Everything here binds to 127.0.0.0/8 only.
"""

import os

# Never let anything in this package probe the EC2 metadata endpoint or a real account.
os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")
os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
os.environ.setdefault("AWS_REGION", "us-east-1")
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
