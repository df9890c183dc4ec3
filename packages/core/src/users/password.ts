import bcrypt from "bcryptjs";

const ROUNDS = 11;
// Compared against when the user does not exist, so a login takes as long either way.
const DUMMY_HASH = bcrypt.hashSync("homepot-timing-equaliser", ROUNDS);

export const hashPassword = (password: string) => bcrypt.hash(password, ROUNDS);
export const verifyPassword = (password: string, hash: string | undefined) =>
  bcrypt.compare(password, hash ?? DUMMY_HASH).then((ok) => ok && hash !== undefined);
