// The county whose data the server holds (GET /api/county): its grid bounds and whether its data is made up.
import { ApiError, getJson } from './http';
import { CountyAnswer } from '../../shared/api/county.ts';

export type { CountyAnswer };

const COUNTY_URL = '/api/county';

/** The county; a 401 (REQUIRE_LOGIN, nobody logged in yet) is the caller's business, not a redirect to /login. */
export async function fetchCounty(signal?: AbortSignal): Promise<CountyAnswer> {
  const parsed = CountyAnswer.safeParse(await getJson(COUNTY_URL, signal, { ignoreUnauthorized: true }));
  if (!parsed.success) throw new ApiError('invalid', COUNTY_URL, `GET ${COUNTY_URL}: not a county`);
  return parsed.data;
}
