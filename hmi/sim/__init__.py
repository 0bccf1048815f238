"""The demo bicycle factory: a seeded plant model (`plant`), its OPC UA server
(`server`) and a helper that runs it as a subprocess (`launch`).

The two constants below are the simulator's public address; they live here so
`launch` can name the endpoint without importing asyncua.
"""

NAMESPACE_URI = "urn:pro4:bicycle-factory:sim"
OPCUA_PATH = "/pro4/sim"
