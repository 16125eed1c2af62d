"""gRPC `samla.feedback.v1.FeedbackService`: a prompt's k-protected results for other services and the gateway."""

from __future__ import annotations

import json

import grpc
from sqlalchemy.orm import Session, sessionmaker

from samla_common.auth import current_grpc_principal
from samla_common.config import ServiceSettings
from samla_common.errors import DomainError
from samla_contracts.proto.samla.feedback.v1 import feedback_pb2 as pb
from samla_contracts.proto.samla.feedback.v1 import feedback_pb2_grpc as pb_grpc
from samla_feedback.anonymity import policy
from samla_feedback.live import results
from samla_feedback.prompts import service as prompts


class FeedbackServicer(pb_grpc.FeedbackServiceServicer):
    """Any verified caller (a person's or a service's token): the results are the same k-protected ones that
    every signed-in person can read over HTTP."""

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self.session_factory = session_factory

    def GetPromptResults(self, request: pb.GetPromptResultsRequest,
                         context: grpc.ServicerContext) -> pb.PromptResults:
        if current_grpc_principal.get() is None:
            context.abort(grpc.StatusCode.UNAUTHENTICATED, "a bearer token is needed")
        with self.session_factory() as session:
            try:
                prompt = prompts.get(session=session, prompt_id=request.prompt_id)
            except DomainError as exc:
                context.abort(exc.grpc_code, exc.detail)
                raise AssertionError("abort raises") from exc  # for type checkers: abort never returns
            if prompt.status == "draft":
                context.abort(grpc.StatusCode.NOT_FOUND, f"no results for prompt {request.prompt_id!r} yet")
            k = policy.get(session=session, event_id=prompt.event_id).k
            body = results.compute(session=session, prompt=prompt, k=k)
        return pb.PromptResults(prompt_id=prompt.id, json=json.dumps(body, ensure_ascii=False, default=str))


def add_servicers(server: grpc.Server, session_factory: sessionmaker[Session], _: ServiceSettings) -> list[str]:
    pb_grpc.add_FeedbackServiceServicer_to_server(FeedbackServicer(session_factory), server)
    return [pb.DESCRIPTOR.services_by_name["FeedbackService"].full_name]
