"""The speech engines, one module each.

Every `Engine` subclass defined in a module of this package is an engine radio-gen knows
(`radio_gen.tts.registry` finds them): adding an engine is adding one module here.
"""
