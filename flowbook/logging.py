"""``tf.logging``: TF1's logging shim, on Python's logging (logger "flowbook")."""

import logging as _logging

DEBUG = _logging.DEBUG
INFO = _logging.INFO
WARN = _logging.WARNING
ERROR = _logging.ERROR
FATAL = _logging.FATAL

_logger = _logging.getLogger("flowbook")


def set_verbosity(v):
    _logger.setLevel(v)


def get_verbosity():
    return _logger.getEffectiveLevel()


def debug(msg, *args):
    _logger.debug(msg, *args)


def info(msg, *args):
    _logger.info(msg, *args)


def warning(msg, *args):
    _logger.warning(msg, *args)


warn = warning


def error(msg, *args):
    _logger.error(msg, *args)


def fatal(msg, *args):
    _logger.critical(msg, *args)
