// SelfSubjectAccessReview: whether the kubeconfig's identity may do what a step is about to do, asked
// before the step so a missing permission is named up front.
import * as k8s from "@kubernetes/client-node";
import type { ApiContext } from "./api-calls";

export interface Access {
  readonly verb: string;
  readonly group: string;
  readonly resource: string;
  readonly subresource?: string;
  readonly namespace?: string;
}

export interface AccessReviewApi {
  /** A SelfSubjectAccessReview: may the kubeconfig's identity do this? */
  canI(access: Access): Promise<boolean>;
}

export function accessReviewApi({ config, calls }: ApiContext): AccessReviewApi {
  const authorization = config.makeApiClient(k8s.AuthorizationV1Api);
  return {
    async canI(access) {
      const review = await calls.call(`asking whether it may ${access.verb} ${access.resource}`, () =>
        authorization.createSelfSubjectAccessReview({
          body: { apiVersion: "authorization.k8s.io/v1", kind: "SelfSubjectAccessReview", spec: { resourceAttributes: { ...access } } },
        }),
      );
      return review.status?.allowed === true;
    },
  };
}
