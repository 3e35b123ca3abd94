"""Errors raised by the vecdb client.

Every failed call raises a subclass of :class:`VecdbError`, chosen by the gRPC
status code the server returned, and carrying that code and the server's
message (which names the offending field, e.g.
``"points[3].vector: expected dimension 128, got 64"``)::

    try:
        client.get_collection("missing")
    except vecdb.NotFoundError as e:
        print(e.code, e.message)

Input the client can reject before sending (a malformed filter dict, a vector
that is not a sequence of numbers) raises a plain ``ValueError`` instead;
:class:`InvalidArgumentError` is also a ``ValueError``, so one
``except ValueError`` catches bad input found on either side.
"""

from __future__ import annotations

from typing import Dict, Optional, Type

import grpc


class VecdbError(Exception):
    """A call failed; ``code`` is the gRPC status, ``message`` the server's."""

    def __init__(self, code: grpc.StatusCode, message: str):
        super().__init__(f"{code.name}: {message}")
        self.code = code
        self.message = message


class InvalidArgumentError(VecdbError, ValueError):
    """Bad input: a name, dimension, vector, filter or a batch over the limit."""


class NotFoundError(VecdbError):
    """No collection of that name."""


class AlreadyExistsError(VecdbError):
    """A collection of that name exists already."""


class FailedPreconditionError(VecdbError):
    """The collection cannot serve the call, e.g. Retrieve without profile."""


class UnavailableError(VecdbError):
    """The server cannot be reached (or is shutting down)."""


class DeadlineExceededError(VecdbError):
    """The call did not finish within the client's timeout."""


class ResourceExhaustedError(VecdbError):
    """A message over the size limit, or the server is out of resources."""


class DataLossError(VecdbError):
    """The server found corrupted data in storage."""


class InternalError(VecdbError):
    """An unexpected server-side failure."""


class UnimplementedError(VecdbError):
    """The server does not implement the call (an older server)."""


class CancelledError(VecdbError):
    """The call was cancelled."""


class PermissionDeniedError(VecdbError):
    """The caller may not do this."""


class UnauthenticatedError(VecdbError):
    """The caller has no valid credentials."""


_BY_CODE: Dict[grpc.StatusCode, Type[VecdbError]] = {
    grpc.StatusCode.INVALID_ARGUMENT: InvalidArgumentError,
    grpc.StatusCode.OUT_OF_RANGE: InvalidArgumentError,
    grpc.StatusCode.NOT_FOUND: NotFoundError,
    grpc.StatusCode.ALREADY_EXISTS: AlreadyExistsError,
    grpc.StatusCode.FAILED_PRECONDITION: FailedPreconditionError,
    grpc.StatusCode.UNAVAILABLE: UnavailableError,
    grpc.StatusCode.DEADLINE_EXCEEDED: DeadlineExceededError,
    grpc.StatusCode.RESOURCE_EXHAUSTED: ResourceExhaustedError,
    grpc.StatusCode.DATA_LOSS: DataLossError,
    grpc.StatusCode.INTERNAL: InternalError,
    grpc.StatusCode.UNIMPLEMENTED: UnimplementedError,
    grpc.StatusCode.CANCELLED: CancelledError,
    grpc.StatusCode.PERMISSION_DENIED: PermissionDeniedError,
    grpc.StatusCode.UNAUTHENTICATED: UnauthenticatedError,
}


def error_from_rpc(error: grpc.RpcError) -> VecdbError:
    """The VecdbError subclass for a failed gRPC call."""
    code: Optional[grpc.StatusCode] = None
    message = str(error)
    if isinstance(error, grpc.Call):
        code = error.code()
        message = error.details() or ""
    if code is None:
        code = grpc.StatusCode.UNKNOWN
    return _BY_CODE.get(code, VecdbError)(code, message)
