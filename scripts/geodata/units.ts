// 124 joint-party-committee member units (each with a trade and 1-3 grids, covering all grids)
// and 85 social organisations, each in a community.
import { PLACE_WORDS } from './names.js';
import type { Rng } from './prng.js';
import type { Grid } from './types.js';

export const N_UNITS = 124;
export const N_ORGS = 85;

const DEPTS: [string, string][] = [
  ['组织部', 'Organisation Dept.'],
  ['宣传部', 'Publicity Dept.'],
  ['统战部', 'United Front Dept.'],
  ['政法委', 'Political-Legal Committee'],
  ['发展和改革局', 'Development and Reform Bureau'],
  ['教育体育局', 'Education and Sports Bureau'],
  ['科学技术局', 'Science and Technology Bureau'],
  ['工业信息化和商务局', 'Industry, IT and Commerce Bureau'],
  ['公安局', 'Public Security Bureau'],
  ['民政局', 'Civil Affairs Bureau'],
  ['司法局', 'Justice Bureau'],
  ['财政局', 'Finance Bureau'],
  ['人力资源和社会保障局', 'Human Resources and Social Security Bureau'],
  ['自然资源局', 'Natural Resources Bureau'],
  ['生态环境分局', 'Ecology and Environment Branch'],
  ['住房和城乡建设局', 'Housing and Urban-Rural Development Bureau'],
  ['交通运输局', 'Transport Bureau'],
  ['水务局', 'Water Affairs Bureau'],
  ['农业农村局', 'Agriculture and Rural Affairs Bureau'],
  ['文化旅游广电局', 'Culture, Tourism and Broadcasting Bureau'],
  ['卫生健康局', 'Health Bureau'],
  ['退役军人事务局', 'Veterans Affairs Bureau'],
  ['应急管理局', 'Emergency Management Bureau'],
  ['审计局', 'Audit Bureau'],
  ['市场监督管理局', 'Market Regulation Bureau'],
  ['统计局', 'Statistics Bureau'],
  ['医疗保障局', 'Healthcare Security Bureau'],
  ['林业和草原局', 'Forestry and Grassland Bureau'],
  ['审批服务管理局', 'Administrative Approval Bureau'],
  ['综合执法局', 'Comprehensive Law Enforcement Bureau'],
  ['信访局', 'Petitions Bureau'],
  ['总工会', 'Federation of Trade Unions'],
  ['团县委', 'Communist Youth League Committee'],
  ['妇联', "Women's Federation"],
  ['残联', "Disabled Persons' Federation"],
  ['人民法院', "People's Court"],
  ['人民检察院', "People's Procuratorate"],
  ['税务局', 'Taxation Bureau'],
  ['气象局', 'Meteorological Bureau'],
  ['消防救援大队', 'Fire and Rescue Brigade'],
];
const INSTITUTIONS: [string, string, string][] = [
  ['盐池县第一中学', 'Yanchi No.1 Middle School', 'education'],
  ['盐池县第二中学', 'Yanchi No.2 Middle School', 'education'],
  ['盐池县第一小学', 'Yanchi No.1 Primary School', 'education'],
  ['盐池县第二小学', 'Yanchi No.2 Primary School', 'education'],
  ['盐池县第三小学', 'Yanchi No.3 Primary School', 'education'],
  ['盐池县第四小学', 'Yanchi No.4 Primary School', 'education'],
  ['盐池县职业中学', 'Yanchi Vocational School', 'education'],
  ['盐池县实验幼儿园', 'Yanchi Experimental Kindergarten', 'education'],
  ['盐池县人民医院', "Yanchi County People's Hospital", 'health'],
  ['盐池县中医医院', 'Yanchi County TCM Hospital', 'health'],
  ['盐池县妇幼保健院', 'Yanchi Maternal and Child Health Hospital', 'health'],
  ['盐池县疾病预防控制中心', 'Yanchi CDC', 'health'],
  ['花马池镇卫生院', 'Huamachi Town Health Centre', 'health'],
  ['国网盐池县供电公司', 'State Grid Yanchi Power Supply Co.', 'utility'],
  ['盐池县自来水公司', 'Yanchi Water Supply Co.', 'utility'],
  ['盐池县供热公司', 'Yanchi Heating Co.', 'utility'],
  ['盐池县燃气公司', 'Yanchi Gas Co.', 'utility'],
  ['中国移动盐池分公司', 'China Mobile Yanchi Branch', 'utility'],
  ['中国电信盐池分公司', 'China Telecom Yanchi Branch', 'utility'],
  ['中国邮政盐池分公司', 'China Post Yanchi Branch', 'utility'],
  ['农业银行盐池支行', 'ABC Yanchi Sub-branch', 'finance'],
  ['工商银行盐池支行', 'ICBC Yanchi Sub-branch', 'finance'],
  ['建设银行盐池支行', 'CCB Yanchi Sub-branch', 'finance'],
  ['中国银行盐池支行', 'BOC Yanchi Sub-branch', 'finance'],
  ['黄河农村商业银行盐池支行', 'Yellow River Rural Bank Yanchi Sub-branch', 'finance'],
  ['人保财险盐池支公司', 'PICC Yanchi Branch', 'finance'],
];
const TRADES_ENT: [string, string][] = [
  ['滩羊肉业有限公司', 'Tan Sheep Meat Co.'],
  ['甘草制品有限公司', 'Licorice Products Co.'],
  ['建筑工程有限公司', 'Construction Co.'],
  ['商贸有限公司', 'Trading Co.'],
  ['物流有限公司', 'Logistics Co.'],
  ['物业服务有限公司', 'Property Services Co.'],
  ['电子商务有限公司', 'E-commerce Co.'],
  ['新能源有限公司', 'New Energy Co.'],
  ['荞麦食品有限公司', 'Buckwheat Foods Co.'],
  ['黄花菜产业有限公司', 'Daylily Industry Co.'],
];
const SERVICES: [string, string, string][] = [
  ['保健理疗', 'Health Care', 'health_care'],
  ['心理咨询', 'Counselling', 'counselling'],
  ['老年配餐', 'Elderly Meals', 'elderly_meals'],
  ['居家养老', 'Home Elderly Care', 'elderly_care'],
  ['青少年托管', 'Youth Care', 'youth_care'],
  ['法律援助', 'Legal Aid', 'legal_aid'],
  ['文体活动', 'Culture and Sports', 'culture_sports'],
  ['志愿服务', 'Volunteering', 'volunteering'],
  ['邻里互助', 'Neighbourly Help', 'mutual_aid'],
  ['残障康复', 'Disability Rehabilitation', 'disability_rehab'],
  ['家政服务', 'Housekeeping', 'housekeeping'],
];
const ORG_FORMS: [string, string][] = [
  ['协会', 'Association'],
  ['服务站', 'Service Station'],
  ['志愿服务队', 'Volunteer Team'],
  ['服务中心', 'Service Centre'],
];

export interface Unit {
  name: string;
  name_en: string;
  trade: string;
  gridIdx: number[];
}

export function makeUnits(rng: Rng, grids: Grid[]): Unit[] {
  const list: Omit<Unit, 'gridIdx'>[] = [
    ...DEPTS.map(([zh, en]) => ({ name: `盐池县${zh}`, name_en: `Yanchi County ${en}`, trade: 'government' })),
    ...INSTITUTIONS.map(([zh, en, trade]) => ({ name: zh, name_en: en, trade })),
  ];
  const places = rng.shuffle([...PLACE_WORDS]);
  for (let k = 0; list.length < N_UNITS; k++) {
    const [pz, pe] = places[k % places.length];
    const [tz, te] = TRADES_ENT[(k + Math.floor(k / places.length)) % TRADES_ENT.length]; // unique pairs
    list.push({ name: `宁夏${pz}${tz}`, name_en: `Ningxia ${pe} ${te}`, trade: 'enterprise' });
  }
  // every grid to one unit first (网格分片包抓), then 0-2 more grids of the same community
  const order = rng.shuffle(grids.map((g) => g.idx));
  return list.slice(0, N_UNITS).map((u, k) => {
    const first = k < order.length ? order[k] : rng.int(0, grids.length - 1);
    const mates = grids
      .filter((g) => g.communityIdx === grids[first].communityIdx && g.idx !== first)
      .map((g) => g.idx);
    const extra = rng.shuffle(mates).slice(0, rng.int(0, 2));
    return { ...u, gridIdx: [first, ...extra].sort((a, b) => a - b) };
  });
}

export interface Org {
  name: string;
  name_en: string;
  service: string;
  communityIdx: number;
}

export function makeOrgs(rng: Rng, communityNames: [string, string][]): Org[] {
  const used = new Set<string>();
  const out: Org[] = [];
  for (let k = 0; out.length < N_ORGS; k++) {
    const c = k % communityNames.length;
    const [sz, se, code] = rng.pick(SERVICES);
    const [fz, fe] = rng.pick(ORG_FORMS);
    const [pz, pe] = rng.pick(PLACE_WORDS);
    const name = `${communityNames[c][0]}${pz}${sz}${fz}`;
    if (used.has(name)) continue;
    used.add(name);
    out.push({ name, name_en: `${communityNames[c][1]} ${pe} ${se} ${fe}`, service: code, communityIdx: c });
  }
  return out;
}
