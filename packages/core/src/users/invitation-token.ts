import { hashSecretToken, newSecretToken } from "./secret-token.ts";

/** An invitation token: shown once; only its SHA-256 is stored. */
export const newInvitationToken = () => newSecretToken("hpi");
export const hashInvitationToken = hashSecretToken;
