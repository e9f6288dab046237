// Name lists (Chinese with pinyin/English). All synthetic except 花马池镇, 振兴社区, 龙辰社区.

export type Named = readonly [zh: string, en: string];

// N-S roads and E-W roads, in order west->east and south->north.
export const ROADS_NS: Named[] = [
  ['西环路', 'Xihuan Rd'], ['新华路', 'Xinhua Rd'], ['育才路', 'Yucai Rd'], ['长城路', 'Changcheng Rd'],
  ['文化路', 'Wenhua Rd'], ['团结路', 'Tuanjie Rd'], ['盐州路', 'Yanzhou Rd'], ['鼓楼路', 'Gulou Rd'],
  ['民生路', 'Minsheng Rd'], ['建设路', 'Jianshe Rd'], ['兴盐路', 'Xingyan Rd'], ['东环路', 'Donghuan Rd'],
];
export const ROADS_EW: Named[] = [
  ['南环路', 'Nanhuan Rd'], ['红星街', 'Hongxing St'], ['富民街', 'Fumin St'], ['永安街', 'Yong\'an St'],
  ['花马池街', 'Huamachi St'], ['中山街', 'Zhongshan St'], ['振兴街', 'Zhenxing St'], ['滩羊街', 'Tanyang St'],
  ['甘草街', 'Gancao St'], ['北关街', 'Beiguan St'], ['北环路', 'Beihuan Rd'],
];

export const STREETS: { name: Named; synthetic: boolean }[] = [
  { name: ['花马池镇', 'Huamachi Town'], synthetic: false },
  { name: ['盐州街道', 'Yanzhou Subdistrict'], synthetic: true },
];

// Index 0 and 5 are the report's communities; placed one per street.
export const COMMUNITIES: { name: Named; synthetic: boolean }[] = [
  { name: ['振兴社区', 'Zhenxing Community'], synthetic: false },
  { name: ['鼓楼社区', 'Gulou Community'], synthetic: true },
  { name: ['长城社区', 'Changcheng Community'], synthetic: true },
  { name: ['育才社区', 'Yucai Community'], synthetic: true },
  { name: ['新华社区', 'Xinhua Community'], synthetic: true },
  { name: ['龙辰社区', 'Longchen Community'], synthetic: false },
  { name: ['盐州社区', 'Yanzhou Community'], synthetic: true },
  { name: ['民生社区', 'Minsheng Community'], synthetic: true },
  { name: ['兴盐社区', 'Xingyan Community'], synthetic: true },
  { name: ['团结社区', 'Tuanjie Community'], synthetic: true },
];

// Compound name parts by type.
export const PLACE_WORDS: Named[] = [
  ['盐州', 'Yanzhou'], ['花马', 'Huama'], ['长城', 'Changcheng'], ['鼓楼', 'Gulou'], ['滩羊', 'Tanyang'],
  ['甘草', 'Gancao'], ['锦绣', 'Jinxiu'], ['金色', 'Jinse'], ['阳光', 'Yangguang'], ['东方', 'Dongfang'],
  ['西城', 'Xicheng'], ['北关', 'Beiguan'], ['南苑', 'Nanyuan'], ['翠柳', 'Cuiliu'], ['丽景', 'Lijing'],
  ['和谐', 'Hexie'], ['幸福', 'Xingfu'], ['康居', 'Kangju'], ['永安', 'Yong\'an'], ['富民', 'Fumin'],
  ['新华', 'Xinhua'], ['文化', 'Wenhua'], ['团结', 'Tuanjie'], ['民生', 'Minsheng'], ['惠安', 'Hui\'an'],
  ['兴盐', 'Xingyan'], ['紫荆', 'Zijing'], ['馨园', 'Xinyuan'], ['恒丰', 'Hengfeng'], ['泰和', 'Taihe'],
  ['德润', 'Derun'], ['怡景', 'Yijing'], ['清水', 'Qingshui'], ['青山', 'Qingshan'], ['大水坑', 'Dashuikeng'],
  ['高沙窝', 'Gaoshawo'], ['惠泽', 'Huize'], ['润丰', 'Runfeng'], ['福宁', 'Funing'], ['宁盐', 'Ningyan'],
];
export const SUFFIX: Record<string, Named[]> = {
  commercial_residential: [['花园', 'Garden'], ['名苑', 'Mingyuan'], ['华府', 'Huafu'], ['雅居', 'Yaju'], ['嘉园', 'Jiayuan'], ['御景湾', 'Yujing Bay'], ['新城', 'New Town'], ['府邸', 'Residence']],
  old: [['小区', 'Estate'], ['街坊', 'Neighbourhood'], ['东区', 'East Estate'], ['西区', 'West Estate'], ['老区', 'Old Estate']],
  transitional: [['新村', 'New Village'], ['安置小区', 'Resettlement Estate'], ['新居', 'New Homes'], ['移民新村', 'Migrant New Village']],
  work_unit: [['家属院', 'Staff Quarters'], ['家属区', 'Staff Estate'], ['宿舍区', 'Dormitory Estate']],
};
export const UNIT_WORDS: Named[] = [
  ['粮食局', 'Grain Bureau'], ['供电局', 'Power Supply Bureau'], ['水务局', 'Water Bureau'], ['农机公司', 'Farm Machinery Co.'],
  ['盐化厂', 'Salt Chemical Plant'], ['县医院', 'County Hospital'], ['一中', 'No.1 Middle School'], ['税务局', 'Tax Bureau'],
  ['邮政局', 'Post Office'], ['交通局', 'Transport Bureau'], ['公安局', 'Public Security Bureau'], ['农业银行', 'Agricultural Bank'],
  ['林业局', 'Forestry Bureau'], ['气象局', 'Meteorological Bureau'], ['电信公司', 'Telecom Co.'], ['运输公司', 'Transport Co.'],
];

export const SURNAMES: string[] = [
  '王', '李', '张', '刘', '马', '杨', '陈', '赵', '黄', '周', '吴', '徐', '孙', '胡', '朱', '高', '林', '何', '郭', '罗',
  '冯', '郑', '梁', '宋', '谢', '韩', '唐', '许', '邓', '曹', '丁', '田', '魏', '贺', '纳', '海', '白', '苏', '兰', '拓',
];
// Weights: 马, 丁, 纳, 海 are common in Ningxia (Hui families).
export const SURNAME_WEIGHTS: number[] = SURNAMES.map((s) => (['王', '李', '张', '刘', '马'].includes(s) ? 6 : ['杨', '陈', '赵', '丁', '纳', '海'].includes(s) ? 3 : 1));
export const GIVEN_CHARS = '伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华玉兰萍红建国志文斌宁海燕鹏飞丹晓春梅雪龙辉成福瑞鑫佳慧';

export const LANDMARKS: { zh: string; en: string; cls: string }[] = [
  { zh: '盐池县人民政府', en: 'Yanchi County Government', cls: 'government' },
  { zh: '盐池县人民医院', en: 'Yanchi County People\'s Hospital', cls: 'hospital' },
  { zh: '盐池县中医医院', en: 'Yanchi County TCM Hospital', cls: 'hospital' },
  { zh: '盐池县第一中学', en: 'Yanchi No.1 Middle School', cls: 'school' },
  { zh: '盐池县第二中学', en: 'Yanchi No.2 Middle School', cls: 'school' },
  { zh: '盐池县第一小学', en: 'Yanchi No.1 Primary School', cls: 'school' },
  { zh: '盐池县第二小学', en: 'Yanchi No.2 Primary School', cls: 'school' },
  { zh: '盐池县第三小学', en: 'Yanchi No.3 Primary School', cls: 'school' },
  { zh: '盐池县第四小学', en: 'Yanchi No.4 Primary School', cls: 'school' },
  { zh: '盐池县职业中学', en: 'Yanchi Vocational School', cls: 'school' },
  { zh: '城区农贸市场', en: 'Town Farmers\' Market', cls: 'market' },
  { zh: '北关农贸市场', en: 'Beiguan Farmers\' Market', cls: 'market' },
  { zh: '盐州商贸城', en: 'Yanzhou Trade Mall', cls: 'market' },
  { zh: '盐池汽车站', en: 'Yanchi Bus Station', cls: 'transport' },
  { zh: '盐池县体育中心', en: 'Yanchi Sports Centre', cls: 'sports' },
  { zh: '盐池县文化馆', en: 'Yanchi Cultural Centre', cls: 'culture' },
  { zh: '盐池县公安局', en: 'Yanchi Public Security Bureau', cls: 'government' },
  { zh: '盐池县政务服务中心', en: 'Yanchi Government Service Centre', cls: 'government' },
];
export const PARKS: Named[] = [
  ['人民公园', 'People\'s Park'], ['鼓楼广场', 'Gulou Square'], ['盐州公园', 'Yanzhou Park'], ['长城文化公园', 'Great Wall Culture Park'],
  ['滩羊文化广场', 'Tanyang Culture Square'], ['翠柳游园', 'Cuiliu Pocket Park'], ['甘草游园', 'Gancao Pocket Park'],
];
