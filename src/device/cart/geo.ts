/** A point on the earth, in degrees. */
export interface LatLon {
  readonly lat: number;
  readonly lon: number;
}

const EARTH_RADIUS_M = 6_371_000;

/** Great-circle distance in metres (haversine). */
export function distanceM(a: LatLon, b: LatLon): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

export function insideGeofence(
  point: LatLon,
  fence: LatLon & { readonly radiusM: number },
): boolean {
  return distanceM(point, fence) <= fence.radiusM;
}

/** A point `metres` east of `origin`: how the simulator wheels a cart out to the car park. */
export function offsetEast(origin: LatLon, metres: number): LatLon {
  const dLon = metres / (EARTH_RADIUS_M * Math.cos((origin.lat * Math.PI) / 180)) / (Math.PI / 180);
  return { lat: origin.lat, lon: origin.lon + dLon };
}
