"""The demo bicycle factory: a seeded plant model (`plant`), its OPC UA server
(`server`), its Modbus TCP server (`modbus_server`, laid out by `register_map`)
and a helper that runs it all as a subprocess (`launch`).

The constants below are the simulator's public address; they live here so
`launch` can name the endpoints without importing asyncua or pymodbus.
"""

NAMESPACE_URI = "urn:pro4:bicycle-factory:sim"
OPCUA_PATH = "/pro4/sim"
OPCUA_PORT = 4840
#: `hmi sim`'s default Modbus port: 502 needs root on Linux; 5020 is the usual stand-in.
MODBUS_PORT = 5020
#: the demo config's connections to the simulator (resources/demo/plant.toml)
OPCUA_CONNECTION = "sim"
MODBUS_CONNECTION = "sim-modbus"

PARENT_ENV = "HMI_SIM_PARENT"
"""Set by `launch.start_sim_process`: the pid whose death ends the simulator."""
