"""Pro4 HMI: a desktop HMI/SCADA operator station.

Layers, top to bottom (imports point downward only):
plugins → screens → widgets → hmi.app → hmi.runtime → hmi.drivers / hmi.store / hmi.config.
"""

__version__ = "0.1.0"
