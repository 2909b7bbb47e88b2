import { flatten } from './random.ts';

/**
 * Where simulated people are. Every prefix is a /24 that geoip-lite 2.0.3
 * places wholly inside one range of that city, with exactly these
 * coordinates (found by walking geoip-lite's whole IPv4 table), so an engine
 * that re-derives location from `ipAddress` gets the city the record claims.
 * Offsets are standard time; daylight saving is ignored on purpose.
 */
export interface City {
  readonly name: string;
  readonly state: string;
  readonly country: string;
  readonly latitude: number;
  readonly longitude: number;
  readonly utcOffsetHours: number;
  /** A residential/business ISP of the city, for the beta `autonomousSystemNumber`. */
  readonly asn: number;
  readonly isp: string;
  /** First three octets of /24 blocks. */
  readonly prefixes: readonly string[];
}

// name | state | country | latitude | longitude | UTC offset | ASN | ISP | /24 prefixes
const TABLE = `
New York|New York|US|40.7428|-73.9712|-5|7922|Comcast|2.56.115 4.7.164 4.31.18 4.31.23
Los Angeles|California|US|33.9994|-118.2133|-8|7018|AT&T|4.26.209 4.26.214 12.14.145
Chicago|Illinois|US|41.871|-87.6289|-6|7922|Comcast|4.15.206 8.9.17 8.9.31 8.9.37
Seattle|Washington|US|47.6348|-122.3451|-8|7922|Comcast|3.3.0 3.4.128 3.5.64 3.5.135
Dallas|Texas|US|32.7889|-96.8021|-6|7018|AT&T|4.35.188 4.71.123 8.18.107 8.19.108
Miami|Florida|US|25.8119|-80.2318|-5|20115|Charter|8.27.25 12.32.114 12.38.60
Toronto|Ontario|CA|43.6683|-79.4205|-5|812|Rogers|5.149.253 13.71.176 13.88.240 13.106.9
Vancouver|British Columbia|CA|49.2795|-123.0667|-8|852|Telus|23.16.6 23.16.36 23.16.118 23.16.162
London|England|GB|51.5164|-0.093|0|2856|BT|2.57.22 2.57.77 2.58.30 2.58.255
Manchester|England|GB|53.4809|-2.2374|0|5089|Virgin Media|2.98.37 2.98.44 2.98.60 2.124.229
Dublin|Leinster|IE|53.3338|-6.2488|0|5466|Eir|3.42.0 3.249.0 3.250.32 3.250.80
Paris|Ile-de-France|FR|48.8543|2.3527|1|3215|Orange|5.23.41 5.48.66 5.48.69 5.48.76
Lyon|Auvergne-Rhone-Alpes|FR|45.748|4.85|1|12322|Free|5.49.177 5.49.189 5.50.118 5.51.12
Berlin|Berlin|DE|52.5449|13.4126|1|3320|Deutsche Telekom|2.204.226 2.204.231 2.245.28
Frankfurt am Main|Hesse|DE|50.1188|8.6843|1|3320|Deutsche Telekom|2.57.18 2.58.174 2.204.153 3.124.0
Munich|Bavaria|DE|48.1497|11.585|1|3209|Vodafone|2.200.76 2.202.133 2.206.9 2.207.33
Amsterdam|North Holland|NL|52.35|4.9167|1|1136|KPN|5.10.67 5.10.71 5.10.74 5.10.79
Madrid|Madrid|ES|40.4143|-3.7016|1|3352|Telefonica|2.136.44 2.136.53 2.136.69 2.136.75
Barcelona|Catalonia|ES|41.3891|2.1611|1|3352|Telefonica|2.136.27 2.136.55 2.136.130 2.136.135
Milan|Lombardy|IT|45.4707|9.1889|1|3269|TIM|2.32.34 2.32.37 2.32.46 2.32.99
Rome|Lazio|IT|41.8904|12.5124|1|3269|TIM|2.32.1 2.32.68 2.32.74 2.32.83
Stockholm|Stockholm|SE|59.3307|18.0718|1|3301|Telia|2.64.29 2.64.106 2.64.163 2.64.166
Warsaw|Mazovia|PL|52.25|21|1|5617|Orange Polska|2.56.101 5.60.26 5.60.146 5.60.151
Bucharest|Bucuresti|RO|44.4354|26.1033|2|8708|RCS & RDS|5.2.133 5.2.148 5.2.155 5.2.234
Cape Town|Western Cape|ZA|-33.9258|18.4259|2|5713|Telkom SA|13.106.209 13.245.0 20.45.140 34.99.135
Johannesburg|Gauteng|ZA|-26.2309|28.0583|2|37457|Telkom Internet|13.106.205 13.106.213 17.69.138 20.45.132
Lagos|Lagos|NG|6.4474|3.3903|1|29465|MTN Nigeria|34.99.131 34.99.203 34.103.147 41.58.12
Nairobi|Nairobi|KE|-1.2841|36.8155|3|33771|Safaricom|41.57.105 41.57.109 41.76.169 41.79.254
Mumbai|Maharashtra|IN|18.9912|72.8342|5.5|9829|BSNL|1.6.73 1.6.92 1.6.188 1.22.10
Bengaluru|Karnataka|IN|12.9719|77.5937|5.5|24560|Airtel|1.6.70 1.6.124 1.22.49 1.22.70
Singapore|Singapore|SG|1.2996|103.8549|8|9506|Singtel|2.59.3 3.0.3 3.0.6 3.0.12
Tokyo|Tokyo|JP|35.6882|139.7532|9|2516|KDDI|1.21.101 1.33.20 1.33.46 1.33.50
Sydney|New South Wales|AU|-33.8591|151.2002|11|1221|Telstra|1.42.12 1.42.52 1.42.108 1.42.120
Melbourne|Victoria|AU|-37.8159|144.9669|11|1221|Telstra|1.136.108 1.152.100 5.175.155 13.70.160
Auckland|Auckland|NZ|-36.8506|174.7679|-11|9790|One NZ|14.1.33 14.1.39 14.1.43 14.1.45
São Paulo|Sao Paulo|BR|-23.5747|-46.6409|-3|28573|Claro|5.188.239 15.177.28 17.43.180 17.48.16
Mexico City|Mexico City|MX|19.4357|-99.1438|-6|8151|Telmex|32.59.36 34.99.102 34.99.119 38.122.125
Buenos Aires|Buenos Aires|AR|-34.6021|-58.3845|-3|7303|Telecom Argentina|24.232.4 24.232.15 24.232.19 24.232.31
Dubai|Dubai|AE|25.2633|55.3087|4|5384|Etisalat|2.48.28 2.48.36 2.48.44 2.48.56
Moscow|Moscow|RU|55.7527|37.6172|3|12389|Rostelecom|2.56.230 2.92.114 2.92.119 2.92.185
Beijing|Beijing|CN|39.9288|116.3889|8|4134|Chinanet|1.14.0 1.58.180 1.117.0 1.119.192
Kyiv|Kyiv City|UA|50.4547|30.5238|2|15895|Kyivstar|5.1.3 5.1.5 5.1.14 5.248.171
Istanbul|Istanbul|TR|41.018|28.9745|3|9121|Turk Telekom|5.11.236 5.24.78 5.24.94 5.24.109
Hanoi|Hanoi|VN|21.0313|105.8516|7|7552|Viettel|1.52.58 1.52.124 1.52.134 1.52.164
Tehran|Tehran|IR|35.7261|51.3304|3.5|58224|TCI|5.34.208 5.62.224 5.63.10 5.63.13
Lisbon|Lisbon|PT|38.7174|-9.1321|0|3243|MEO|2.81.199 2.82.196 2.83.169 5.158.11
Brussels|Brussels|BE|50.8333|4.3333|1|5432|Proximus|17.67.210 17.68.20 17.77.212 34.99.65
Zurich|Zurich|CH|47.3664|8.5546|1|3303|Swisscom|17.67.88 17.70.60 17.70.108 17.77.50
`;

export const CITIES: readonly City[] = TABLE.trim()
  .split('\n')
  .map((row) => {
    const [name = '', state = '', country = '', latitude, longitude, offset, asn, isp = '', prefixes = ''] =
      row.split('|');
    return {
      name,
      state,
      country,
      latitude: Number(latitude),
      longitude: Number(longitude),
      utcOffsetHours: Number(offset),
      asn: Number(asn),
      isp,
      prefixes: prefixes.split(' '),
    };
  });

export function cityNamed(name: string): City {
  const city = CITIES.find((c) => c.name === name);
  if (!city) throw new RangeError(`no city ${name} in the table`);
  return city;
}

export function citiesIn(country: string): readonly City[] {
  return CITIES.filter((c) => c.country === country);
}

export const COUNTRIES: readonly string[] = [...new Set(CITIES.map((c) => c.country))];

/** Datacentre egress used by attackers and corporate VPNs: hosting ASNs, not ISPs. */
export interface HostingBlock {
  readonly city: string;
  readonly prefix: string;
  readonly asn: number;
  readonly provider: string;
}

export const HOSTING: readonly HostingBlock[] = [
  { city: 'Frankfurt am Main', prefix: '3.124.0', asn: 16509, provider: 'Amazon' },
  { city: 'Dublin', prefix: '3.249.0', asn: 16509, provider: 'Amazon' },
  { city: 'Singapore', prefix: '3.0.3', asn: 16509, provider: 'Amazon' },
  { city: 'Amsterdam', prefix: '5.10.67', asn: 14061, provider: 'DigitalOcean' },
  { city: 'Moscow', prefix: '2.56.230', asn: 9009, provider: 'M247' },
  { city: 'Lagos', prefix: '34.99.131', asn: 396982, provider: 'Google Cloud' },
  { city: 'Hanoi', prefix: '1.52.58', asn: 18403, provider: 'FPT Telecom' },
  { city: 'São Paulo', prefix: '5.188.239', asn: 262287, provider: 'Latitude.sh' },
];

export function ipIn(prefix: string, host: number): string {
  return flatten(`${prefix}.${1 + (host % 254)}`);
}

/** Great-circle distance in km. */
export function distanceKm(a: City, b: City): number {
  const rad = Math.PI / 180;
  const dLat = (b.latitude - a.latitude) * rad;
  const dLon = (b.longitude - a.longitude) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.latitude * rad) * Math.cos(b.latitude * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}

const HOSTING_PREFIXES = new Set(HOSTING.map((h) => h.prefix));

/** The blocks of a city that ordinary people's ISPs hand out (not datacentre egress). */
export function residentialPrefixes(city: City): readonly string[] {
  const prefixes = city.prefixes.filter((p) => !HOSTING_PREFIXES.has(p));
  return prefixes.length > 0 ? prefixes : city.prefixes;
}
