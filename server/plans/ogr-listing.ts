// Reading GDAL's text output: names in it come from the uploaded file, so no backtracking pattern.

/**
 * The layer names of `ogrinfo -q` ("1: name (Polygon)"), read line by line: a layer name comes from the
 * uploaded file, and the pattern `^\d+: (.+?)(?: \(.*\))?$` took seconds on a long name full of " (".
 */
export function layerNamesOf(listing: string): string[] {
  const names: string[] = [];
  for (const line of listing.split(/\r\n|[\n\r\u2028\u2029]/)) {
    let i = 0;
    while (i < line.length && line[i] >= '0' && line[i] <= '9') i++;
    if (i === 0 || line[i] !== ':' || line[i + 1] !== ' ' || line.length === i + 2) continue;
    const rest = line.slice(i + 2);
    // The shortest name after which the rest is " (…)": the first " (" when the line ends with ")".
    const cut = rest.endsWith(')') ? rest.indexOf(' (', 1) : -1;
    names.push(cut > 0 ? rest.slice(0, cut) : rest);
  }
  return names;
}
