// 崇川在线 · demo organisation data for the whole of 崇川区 (Nantong), after the 2020 merger with 港闸.
// Pure data, no imports. Names marked in the trace block at the end come from the news reports in
// shared/seeds/; everything else is an invented but plausible name used to fill out the district.
// Hierarchy: district → street (街道) → community (社区/村) → grid (网格) → compound (小区) → gate (出入口);
// market entities (市场主体) hang under a community.

export interface DemoGate { name: string; staffed: boolean }
export interface DemoCompound { name: string; hasProperty: boolean; propertyCompany?: string; gates: DemoGate[] }
export interface DemoGrid { name: string; compounds: DemoCompound[] }
export type MarketKind = 'property_project' | 'supermarket' | 'farmers_market' | 'enterprise' | 'commercial_building'
export interface DemoMarket { name: string; kind: MarketKind }
export interface DemoCommunity { name: string; grids: DemoGrid[]; markets: DemoMarket[] }
export interface DemoStreet { name: string; communities: DemoCommunity[] }

export const DISTRICT_NAME = '崇川区'

export const propertyCompanies: string[] = [
  '乾坤物业', '保华物业', '万豪物业', '坤园物业',
  '濠河物业', '紫琅物业', '通城物业', '江海物业', '崇川物业', '长桥物业', '文峰物业', '中南物业', '永安物业', '华强物业', '龙湖物业', '新城物业',
]

export const demoStreets: DemoStreet[] = [
  { name: '和平桥街道', communities: [
    { name: '濠西社区', grids: [
      { name: '第一网格', compounds: [
        { name: '濠西新村', hasProperty: false, gates: [{ name: '东门', staffed: true }, { name: '南门', staffed: false }, { name: '西门', staffed: true }, { name: '北门', staffed: false }] },
        { name: '濠西花苑', hasProperty: true, propertyCompany: '濠河物业', gates: [{ name: '南门', staffed: true }, { name: '北门', staffed: false }] },
      ] },
      { name: '第二网格', compounds: [
        { name: '西南营小区', hasProperty: false, gates: [{ name: '东门', staffed: true }, { name: '西门', staffed: false }, { name: '1号门', staffed: false }] },
      ] },
    ], markets: [{ name: '花鸟市场', kind: 'farmers_market' }, { name: '乐视眼镜店（濠西路）', kind: 'enterprise' }] },
    { name: '濠城社区', grids: [
      { name: '第一网格', compounds: [
        { name: '东方鑫乾大厦', hasProperty: true, propertyCompany: '乾坤物业', gates: [{ name: '北门', staffed: true }, { name: '南门', staffed: false }, { name: '东门', staffed: false }] },
        { name: '濠城公寓', hasProperty: true, propertyCompany: '濠河物业', gates: [{ name: '东门', staffed: true }, { name: '西门', staffed: false }] },
      ] },
      { name: '第二网格', compounds: [
        { name: '濠城新村', hasProperty: false, gates: [{ name: '东门', staffed: true }, { name: '南门', staffed: true }, { name: '西门', staffed: false }, { name: '北门', staffed: false }, { name: '1号门', staffed: false }] },
      ] },
    ], markets: [{ name: '东方鑫乾大厦物管项目', kind: 'property_project' }, { name: '百分百培训学校', kind: 'enterprise' }] },
    { name: '环西社区', grids: [
      { name: '第一网格', compounds: [
        { name: '瑞安名邸', hasProperty: true, propertyCompany: '乾坤物业', gates: [{ name: '南门', staffed: true }, { name: '北门', staffed: true }, { name: '西门', staffed: false }] },
        { name: '环西新村', hasProperty: false, gates: [{ name: '东门', staffed: true }, { name: '北门', staffed: false }, { name: '1号门', staffed: false }, { name: '2号门', staffed: false }] },
      ] },
    ], markets: [{ name: '瑞安名邸物管项目', kind: 'property_project' }] },
    { name: '桃坞社区', grids: [
      { name: '第一网格', compounds: [
        { name: '桃坞新村', hasProperty: false, gates: [{ name: '东门', staffed: true }, { name: '南门', staffed: false }, { name: '北门', staffed: false }] },
        { name: '桃坞花园', hasProperty: true, propertyCompany: '紫琅物业', gates: [{ name: '南门', staffed: true }, { name: '东门', staffed: false }] },
      ] },
      { name: '第二网格', compounds: [
        { name: '南大街公寓', hasProperty: true, propertyCompany: '通城物业', gates: [{ name: '北门', staffed: true }, { name: '西门', staffed: false }] },
      ] },
    ], markets: [{ name: '八佰伴购物中心', kind: 'commercial_building' }, { name: '吉时买超市（人民中路店）', kind: 'supermarket' }] },
  ] },
  { name: '任港街道', communities: [
    { name: '大庆社区', grids: [
      { name: '第一网格', compounds: [
        { name: '任港路新村', hasProperty: false, gates: [{ name: '东门', staffed: true }, { name: '南门', staffed: true }, { name: '北门', staffed: true }, { name: '西门', staffed: false }, { name: '1号门', staffed: false }, { name: '2号门', staffed: false }, { name: '3号门', staffed: false }, { name: '4号门', staffed: false }, { name: '5号门', staffed: false }, { name: '6号门', staffed: false }] },
        { name: '大庆新村', hasProperty: false, gates: [{ name: '东门', staffed: true }, { name: '西门', staffed: false }, { name: '南门', staffed: false }] },
        { name: '大庆苑', hasProperty: true, propertyCompany: '江海物业', gates: [{ name: '南门', staffed: true }, { name: '北门', staffed: false }] },
      ] },
      { name: '第二网格', compounds: [
        { name: '任港花苑', hasProperty: true, propertyCompany: '江海物业', gates: [{ name: '东门', staffed: true }, { name: '西门', staffed: false }] },
        { name: '北濠新村', hasProperty: false, gates: [{ name: '南门', staffed: true }, { name: '北门', staffed: false }, { name: '1号门', staffed: false }] },
      ] },
    ], markets: [{ name: '大庆菜市场', kind: 'farmers_market' }] },
    { name: '南通港社区', grids: [
      { name: '第一网格', compounds: [
        { name: '通惠新村', hasProperty: false, gates: [{ name: '东门', staffed: true }, { name: '西门', staffed: false }, { name: '南门', staffed: false }, { name: '北门', staffed: false }] },
        { name: '港务新村', hasProperty: false, gates: [{ name: '南门', staffed: true }, { name: '北门', staffed: false }] },
      ] },
      { name: '第二网格', compounds: [
        { name: '港城花园', hasProperty: true, propertyCompany: '崇川物业', gates: [{ name: '东门', staffed: true }, { name: '南门', staffed: true }, { name: '西门', staffed: false }] },
      ] },
    ], markets: [] },
    { name: '任港社区', grids: [
      { name: '第一网格', compounds: [
        { name: '任港新村', hasProperty: false, gates: [{ name: '东门', staffed: true }, { name: '南门', staffed: false }, { name: '西门', staffed: false }] },
        { name: '西郊花苑', hasProperty: true, propertyCompany: '长桥物业', gates: [{ name: '南门', staffed: true }, { name: '北门', staffed: false }] },
        { name: '任港名邸', hasProperty: true, propertyCompany: '长桥物业', gates: [{ name: '东门', staffed: true }, { name: '南门', staffed: false }] },
      ] },
    ], markets: [{ name: '大润发（任港店）', kind: 'supermarket' }] },
    { name: '友谊桥社区', grids: [
      { name: '第一网格', compounds: [
        { name: '友谊桥新村', hasProperty: false, gates: [{ name: '北门', staffed: true }, { name: '南门', staffed: false }, { name: '东门', staffed: false }] },
        { name: '长桥雅苑', hasProperty: true, propertyCompany: '长桥物业', gates: [{ name: '东门', staffed: true }, { name: '西门', staffed: false }] },
      ] },
    ], markets: [{ name: '友谊桥农贸市场', kind: 'farmers_market' }] },
  ] },
  { name: '新城桥街道', communities: [
    { name: '八厂社区', grids: [
      { name: '第一网格', compounds: [
        { name: '八厂新村', hasProperty: false, gates: [{ name: '东门', staffed: true }, { name: '南门', staffed: true }, { name: '西门', staffed: false }, { name: '北门', staffed: false }] },
        { name: '八厂花苑', hasProperty: true, propertyCompany: '文峰物业', gates: [{ name: '南门', staffed: true }, { name: '北门', staffed: false }] },
      ] },
    ], markets: [{ name: '文峰集团', kind: 'enterprise' }] },
    { name: '易家桥社区', grids: [
      { name: '第一网格', compounds: [
        { name: '易家桥新村', hasProperty: false, gates: [{ name: '东门', staffed: true }, { name: '西门', staffed: false }, { name: '北门', staffed: false }] },
        { name: '易家桥公寓', hasProperty: true, propertyCompany: '通城物业', gates: [{ name: '南门', staffed: true }, { name: '东门', staffed: false }] },
      ] },
      { name: '第二网格', compounds: [
        { name: '易园小区', hasProperty: true, propertyCompany: '文峰物业', gates: [{ name: '东门', staffed: true }, { name: '南门', staffed: false }] },
      ] },
    ], markets: [{ name: '易家桥商务楼', kind: 'commercial_building' }] },
    { name: '世纪社区', grids: [
      { name: '第一网格', compounds: [
        { name: '中南世纪城', hasProperty: true, propertyCompany: '中南物业', gates: [{ name: '东门', staffed: true }, { name: '南门', staffed: true }, { name: '西门', staffed: false }, { name: '北门', staffed: false }, { name: '1号门', staffed: false }] },
        { name: '世纪花苑', hasProperty: true, propertyCompany: '中南物业', gates: [{ name: '北门', staffed: true }, { name: '南门', staffed: false }] },
      ] },
    ], markets: [{ name: '新城桥农贸市场', kind: 'farmers_market' }] },
  ] },
  { name: '虹桥街道', communities: [
    { name: '跃龙社区', grids: [
      { name: '第一网格', compounds: [
        { name: '跃龙新村', hasProperty: false, gates: [{ name: '东门', staffed: true }, { name: '南门', staffed: false }, { name: '北门', staffed: false }, { name: '1号门', staffed: false }] },
        { name: '跃龙花园', hasProperty: true, propertyCompany: '紫琅物业', gates: [{ name: '南门', staffed: true }, { name: '西门', staffed: false }] },
      ] },
      { name: '第二网格', compounds: [
        { name: '跃龙苑', hasProperty: true, propertyCompany: '紫琅物业', gates: [{ name: '北门', staffed: true }, { name: '东门', staffed: false }] },
      ] },
    ], markets: [{ name: '跃龙菜市场', kind: 'farmers_market' }] },
    { name: '光明社区', grids: [
      { name: '第一网格', compounds: [
        { name: '光明新村', hasProperty: false, gates: [{ name: '东门', staffed: true }, { name: '西门', staffed: false }, { name: '南门', staffed: false }] },
        { name: '光明花苑', hasProperty: true, propertyCompany: '崇川物业', gates: [{ name: '南门', staffed: true }, { name: '北门', staffed: false }] },
        { name: '虹光雅苑', hasProperty: true, propertyCompany: '崇川物业', gates: [{ name: '北门', staffed: true }, { name: '东门', staffed: false }] },
      ] },
    ], markets: [{ name: '吉晶眼镜店', kind: 'enterprise' }, { name: '芜湖美宿酒店管理有限公司南通洲际分公司', kind: 'enterprise' }] },
    { name: '朝晖社区', grids: [
      { name: '第一网格', compounds: [
        { name: '朝晖花园', hasProperty: true, propertyCompany: '江海物业', gates: [{ name: '东门', staffed: true }, { name: '南门', staffed: true }, { name: '北门', staffed: false }] },
        { name: '朝晖新村', hasProperty: false, gates: [{ name: '东门', staffed: true }, { name: '西门', staffed: false }, { name: '北门', staffed: false }, { name: '1号门', staffed: false }] },
      ] },
    ], markets: [] },
    { name: '虹桥社区', grids: [
      { name: '第一网格', compounds: [
        { name: '虹桥新村', hasProperty: false, gates: [{ name: '南门', staffed: true }, { name: '北门', staffed: false }, { name: '东门', staffed: false }, { name: '西门', staffed: false }] },
        { name: '虹桥花苑', hasProperty: true, propertyCompany: '通城物业', gates: [{ name: '东门', staffed: true }, { name: '南门', staffed: false }] },
        { name: '虹桥名都', hasProperty: true, propertyCompany: '通城物业', gates: [{ name: '南门', staffed: true }, { name: '北门', staffed: false }, { name: '西门', staffed: false }] },
      ] },
    ], markets: [{ name: '南通市纺针品有限公司', kind: 'enterprise' }] },
  ] },
  { name: '学田街道', communities: [
    { name: '学田苑社区', grids: [
      { name: '第一网格', compounds: [
        { name: '学田苑', hasProperty: false, gates: [{ name: '东门', staffed: true }, { name: '南门', staffed: false }, { name: '北门', staffed: false }] },
        { name: '学田新村', hasProperty: false, gates: [{ name: '南门', staffed: true }, { name: '西门', staffed: false }, { name: '1号门', staffed: false }, { name: '2号门', staffed: false }] },
      ] },
      { name: '第二网格', compounds: [
        { name: '文华名邸', hasProperty: true, propertyCompany: '保华物业', gates: [{ name: '南门', staffed: true }, { name: '北门', staffed: false }] },
      ] },
    ], markets: [{ name: '学田菜市场', kind: 'farmers_market' }] },
    { name: '学田北苑社区', grids: [
      { name: '第一网格', compounds: [
        { name: '学田北苑', hasProperty: true, propertyCompany: '崇川物业', gates: [{ name: '东门', staffed: true }, { name: '南门', staffed: false }, { name: '北门', staffed: true }] },
      ] },
      { name: '第二网格', compounds: [
        { name: '北苑新村', hasProperty: false, gates: [{ name: '东门', staffed: true }, { name: '西门', staffed: false }, { name: '南门', staffed: false }] },
      ] },
    ], markets: [{ name: '何不生鲜（学田北苑店）', kind: 'supermarket' }] },
    { name: '果园社区', grids: [
      { name: '第一网格', compounds: [
        { name: '果园小区', hasProperty: true, propertyCompany: '坤园物业', gates: [{ name: '东门', staffed: true }, { name: '南门', staffed: false }] },
        { name: '果园新村', hasProperty: false, gates: [{ name: '北门', staffed: true }, { name: '西门', staffed: false }, { name: '南门', staffed: false }] },
      ] },
    ], markets: [{ name: '果园小区物管项目', kind: 'property_project' }] },
    { name: '郭里园社区', grids: [
      { name: '第一网格', compounds: [
        { name: '郭里园新村', hasProperty: false, gates: [{ name: '东门', staffed: true }, { name: '南门', staffed: true }, { name: '西门', staffed: false }, { name: '北门', staffed: false }, { name: '1号门', staffed: false }, { name: '2号门', staffed: false }] },
        { name: '郭里园花苑', hasProperty: true, propertyCompany: '濠河物业', gates: [{ name: '南门', staffed: true }, { name: '东门', staffed: false }] },
      ] },
    ], markets: [] },
  ] },
  { name: '钟秀街道', communities: [
    { name: '百花村社区', grids: [
      { name: '第一网格', compounds: [
        { name: '百花新村', hasProperty: false, gates: [{ name: '东门', staffed: true }, { name: '南门', staffed: false }, { name: '北门', staffed: false }] },
        { name: '百花苑', hasProperty: true, propertyCompany: '永安物业', gates: [{ name: '南门', staffed: true }, { name: '西门', staffed: false }] },
      ] },
    ], markets: [{ name: '钟秀菜市场', kind: 'farmers_market' }] },
    { name: '校西村社区', grids: [
      { name: '景新网格', compounds: [
        { name: '景新花园', hasProperty: true, propertyCompany: '永安物业', gates: [{ name: '东门', staffed: true }, { name: '南门', staffed: false }] },
        { name: '景新小区', hasProperty: false, gates: [{ name: '南门', staffed: true }, { name: '北门', staffed: false }, { name: '西门', staffed: false }] },
      ] },
      { name: '第二网格', compounds: [
        { name: '校西新村', hasProperty: false, gates: [{ name: '东门', staffed: true }, { name: '西门', staffed: false }, { name: '北门', staffed: false }] },
      ] },
    ], markets: [{ name: '东景国际汽车用品一条街', kind: 'commercial_building' }] },
    { name: '钟秀社区', grids: [
      { name: '第一网格', compounds: [
        { name: '钟秀新村', hasProperty: false, gates: [{ name: '东门', staffed: true }, { name: '南门', staffed: false }, { name: '西门', staffed: false }, { name: '北门', staffed: false }] },
        { name: '钟秀名苑', hasProperty: true, propertyCompany: '永安物业', gates: [{ name: '北门', staffed: true }, { name: '南门', staffed: false }] },
        { name: '秀水雅苑', hasProperty: true, propertyCompany: '永安物业', gates: [{ name: '东门', staffed: true }, { name: '西门', staffed: false }] },
      ] },
    ], markets: [{ name: '中原市场投顺贸易有限公司', kind: 'enterprise' }, { name: '南通普济药房连锁有限公司', kind: 'enterprise' }] },
  ] },
  { name: '文峰街道', communities: [
    { name: '光明村社区', grids: [
      { name: '第一网格', compounds: [
        { name: '光明村小区', hasProperty: false, gates: [{ name: '东门', staffed: true }, { name: '南门', staffed: false }, { name: '北门', staffed: false }] },
        { name: '悦海名邸', hasProperty: true, propertyCompany: '保华物业', gates: [{ name: '南门', staffed: true }, { name: '北门', staffed: true }, { name: '东门', staffed: false }] },
      ] },
      { name: '第二网格', compounds: [
        { name: '万豪瑜园', hasProperty: true, propertyCompany: '保华物业', gates: [{ name: '东门', staffed: true }, { name: '西门', staffed: false }] },
      ] },
    ], markets: [{ name: '悦海名邸物管项目', kind: 'property_project' }] },
    { name: '文峰社区', grids: [
      { name: '第一网格', compounds: [
        { name: '文峰新村', hasProperty: false, gates: [{ name: '东门', staffed: true }, { name: '南门', staffed: false }, { name: '西门', staffed: false }] },
        { name: '文峰花园', hasProperty: true, propertyCompany: '文峰物业', gates: [{ name: '南门', staffed: true }, { name: '北门', staffed: false }] },
      ] },
      { name: '第二网格', compounds: [
        { name: '万豪花苑', hasProperty: true, propertyCompany: '万豪物业', gates: [{ name: '东门', staffed: true }, { name: '南门', staffed: false }, { name: '北门', staffed: false }] },
      ] },
    ], markets: [{ name: '京典大药房', kind: 'enterprise' }, { name: '苏果超市（文峰店）', kind: 'supermarket' }] },
    { name: '南园社区', grids: [
      { name: '第一网格', compounds: [
        { name: '南园新村', hasProperty: false, gates: [{ name: '东门', staffed: true }, { name: '北门', staffed: false }, { name: '1号门', staffed: false }] },
        { name: '南园雅苑', hasProperty: true, propertyCompany: '华强物业', gates: [{ name: '南门', staffed: true }, { name: '西门', staffed: false }] },
        { name: '南园名邸', hasProperty: true, propertyCompany: '华强物业', gates: [{ name: '北门', staffed: true }, { name: '东门', staffed: false }] },
      ] },
    ], markets: [{ name: '文峰农贸市场', kind: 'farmers_market' }] },
  ] },
  { name: '观音山街道', communities: [
    { name: '新胜社区', grids: [
      { name: '第一网格', compounds: [
        { name: '观阳名邸', hasProperty: true, propertyCompany: '华强物业', gates: [{ name: '东门', staffed: true }, { name: '南门', staffed: false }] },
        { name: '新胜新村', hasProperty: false, gates: [{ name: '南门', staffed: true }, { name: '北门', staffed: false }, { name: '西门', staffed: false }] },
        { name: '胜利花园', hasProperty: true, propertyCompany: '华强物业', gates: [{ name: '北门', staffed: true }, { name: '东门', staffed: false }, { name: '西门', staffed: false }] },
      ] },
    ], markets: [{ name: '福临堂药房', kind: 'enterprise' }, { name: '百姓人家饭店', kind: 'enterprise' }] },
    { name: '国胜社区', grids: [
      { name: '第一网格', compounds: [
        { name: '国胜新村', hasProperty: false, gates: [{ name: '东门', staffed: true }, { name: '南门', staffed: false }, { name: '北门', staffed: false }] },
        { name: '国胜花苑', hasProperty: true, propertyCompany: '华强物业', gates: [{ name: '南门', staffed: true }, { name: '西门', staffed: false }] },
      ] },
    ], markets: [{ name: '南通铁人运动用品有限公司', kind: 'enterprise' }, { name: '观音山科技园', kind: 'commercial_building' }, { name: '南通新西尔克纺织有限公司', kind: 'enterprise' }] },
    { name: '观音山社区', grids: [
      { name: '第一网格', compounds: [
        { name: '观音山新村', hasProperty: false, gates: [{ name: '东门', staffed: true }, { name: '北门', staffed: false }, { name: '西门', staffed: false }] },
        { name: '观山雅苑', hasProperty: true, propertyCompany: '华强物业', gates: [{ name: '南门', staffed: true }, { name: '东门', staffed: false }] },
      ] },
      { name: '第二网格', compounds: [
        { name: '山港花园', hasProperty: true, propertyCompany: '江海物业', gates: [{ name: '北门', staffed: true }, { name: '南门', staffed: false }] },
      ] },
    ], markets: [{ name: '国药控股南通有限公司', kind: 'enterprise' }, { name: '中关村信息谷创新园', kind: 'commercial_building' }, { name: '南通富力机电设备有限公司', kind: 'enterprise' }] },
    { name: '新开社区', grids: [
      { name: '第一网格', compounds: [
        { name: '新开新村', hasProperty: false, gates: [{ name: '东门', staffed: true }, { name: '南门', staffed: false }, { name: '西门', staffed: false }] },
        { name: '新开花苑', hasProperty: true, propertyCompany: '崇川物业', gates: [{ name: '南门', staffed: true }, { name: '北门', staffed: false }] },
      ] },
    ], markets: [{ name: '狼王智能科技有限公司', kind: 'enterprise' }, { name: '吉宝船厂', kind: 'enterprise' }, { name: '海润智能科技有限公司', kind: 'enterprise' }] },
  ] },
  { name: '狼山镇街道', communities: [
    { name: '曹公祠社区', grids: [
      { name: '第一网格', compounds: [
        { name: '曹公祠新村', hasProperty: false, gates: [{ name: '东门', staffed: true }, { name: '南门', staffed: false }, { name: '西门', staffed: false }, { name: '北门', staffed: false }, { name: '1号门', staffed: false }] },
        { name: '曹公祠花苑', hasProperty: true, propertyCompany: '紫琅物业', gates: [{ name: '南门', staffed: true }, { name: '北门', staffed: false }] },
      ] },
    ], markets: [] },
    { name: '三角桥社区', grids: [
      { name: '第一网格', compounds: [
        { name: '三角桥新村', hasProperty: false, gates: [{ name: '东门', staffed: true }, { name: '北门', staffed: false }, { name: '西门', staffed: false }] },
        { name: '三角桥花园', hasProperty: true, propertyCompany: '通城物业', gates: [{ name: '南门', staffed: true }, { name: '东门', staffed: false }] },
      ] },
    ], markets: [{ name: '南通市科健医疗器械有限公司', kind: 'enterprise' }, { name: '三角桥商务楼', kind: 'commercial_building' }] },
    { name: '狼山社区', grids: [
      { name: '第一网格', compounds: [
        { name: '狼山新村', hasProperty: false, gates: [{ name: '东门', staffed: true }, { name: '南门', staffed: false }, { name: '北门', staffed: false }] },
        { name: '紫琅花园', hasProperty: true, propertyCompany: '紫琅物业', gates: [{ name: '南门', staffed: true }, { name: '西门', staffed: false }] },
      ] },
    ], markets: [{ name: '南通中远海运船务工程有限公司', kind: 'enterprise' }] },
    { name: '城山社区', grids: [
      { name: '第一网格', compounds: [
        { name: '城山路新村', hasProperty: false, gates: [{ name: '东门', staffed: true }, { name: '南门', staffed: true }, { name: '西门', staffed: false }, { name: '北门', staffed: false }] },
        { name: '城山花苑', hasProperty: true, propertyCompany: '紫琅物业', gates: [{ name: '北门', staffed: true }, { name: '南门', staffed: false }] },
      ] },
    ], markets: [{ name: '城山菜市场', kind: 'farmers_market' }] },
  ] },
  { name: '城东街道', communities: [
    { name: '新桥北村社区', grids: [
      { name: '第一网格', compounds: [
        { name: '新桥新村', hasProperty: false, gates: [{ name: '东门', staffed: true }, { name: '南门', staffed: false }, { name: '北门', staffed: false }, { name: '西门', staffed: false }] },
        { name: '新桥花园', hasProperty: true, propertyCompany: '江海物业', gates: [{ name: '南门', staffed: true }, { name: '北门', staffed: false }] },
      ] },
      { name: '第二网格', compounds: [
        { name: '北村雅苑', hasProperty: true, propertyCompany: '江海物业', gates: [{ name: '东门', staffed: true }, { name: '西门', staffed: false }] },
      ] },
    ], markets: [{ name: '新桥农贸市场', kind: 'farmers_market' }, { name: '通润发超市（城东店）', kind: 'supermarket' }] },
    { name: '濠东社区', grids: [
      { name: '第一网格', compounds: [
        { name: '濠东新村', hasProperty: false, gates: [{ name: '东门', staffed: true }, { name: '西门', staffed: false }, { name: '南门', staffed: false }] },
        { name: '濠东花苑', hasProperty: true, propertyCompany: '濠河物业', gates: [{ name: '南门', staffed: true }, { name: '北门', staffed: false }] },
      ] },
    ], markets: [{ name: '南通玉蕙口腔医院', kind: 'enterprise' }, { name: '新东方南通学校', kind: 'enterprise' }] },
    { name: '小石桥社区', grids: [
      { name: '第一网格', compounds: [
        { name: '小石桥新村', hasProperty: false, gates: [{ name: '东门', staffed: true }, { name: '南门', staffed: false }, { name: '北门', staffed: false }, { name: '1号门', staffed: false }] },
        { name: '石桥嘉园', hasProperty: true, propertyCompany: '长桥物业', gates: [{ name: '南门', staffed: true }, { name: '西门', staffed: false }] },
      ] },
    ], markets: [{ name: '苏湘阁饭店', kind: 'enterprise' }] },
    { name: '板桥社区', grids: [
      { name: '第一网格', compounds: [
        { name: '板桥新村', hasProperty: false, gates: [{ name: '东门', staffed: true }, { name: '北门', staffed: false }, { name: '西门', staffed: false }] },
        { name: '板桥花苑', hasProperty: true, propertyCompany: '长桥物业', gates: [{ name: '北门', staffed: true }, { name: '南门', staffed: false }] },
      ] },
      { name: '第二网格', compounds: [
        { name: '板桥公寓', hasProperty: true, propertyCompany: '崇川物业', gates: [{ name: '东门', staffed: true }, { name: '南门', staffed: false }] },
      ] },
    ], markets: [{ name: '南通医用卫生材料厂', kind: 'enterprise' }] },
  ] },
  { name: '唐闸镇街道', communities: [
    { name: '长岸社区', grids: [
      { name: '第一网格', compounds: [
        { name: '长岸新村', hasProperty: false, gates: [{ name: '东门', staffed: true }, { name: '南门', staffed: false }, { name: '北门', staffed: false }] },
        { name: '长岸花苑', hasProperty: true, propertyCompany: '新城物业', gates: [{ name: '南门', staffed: true }, { name: '西门', staffed: false }] },
        { name: '长岸名邸', hasProperty: true, propertyCompany: '新城物业', gates: [{ name: '北门', staffed: true }, { name: '东门', staffed: false }] },
      ] },
    ], markets: [{ name: '万象城', kind: 'commercial_building' }] },
    { name: '唐闸社区', grids: [
      { name: '第一网格', compounds: [
        { name: '唐闸新村', hasProperty: false, gates: [{ name: '东门', staffed: true }, { name: '南门', staffed: false }, { name: '西门', staffed: false }, { name: '北门', staffed: false }] },
        { name: '大生花苑', hasProperty: true, propertyCompany: '新城物业', gates: [{ name: '东门', staffed: true }, { name: '南门', staffed: false }] },
        { name: '唐闸雅苑', hasProperty: true, propertyCompany: '新城物业', gates: [{ name: '北门', staffed: true }, { name: '西门', staffed: false }] },
      ] },
    ], markets: [{ name: '唐闸农贸市场', kind: 'farmers_market' }] },
    { name: '永和社区', grids: [
      { name: '第一网格', compounds: [
        { name: '永和新村', hasProperty: false, gates: [{ name: '北门', staffed: true }, { name: '南门', staffed: false }, { name: '东门', staffed: false }] },
        { name: '运河花园', hasProperty: true, propertyCompany: '新城物业', gates: [{ name: '南门', staffed: true }, { name: '北门', staffed: false }] },
        { name: '永和佳苑', hasProperty: true, propertyCompany: '新城物业', gates: [{ name: '东门', staffed: true }, { name: '南门', staffed: false }] },
      ] },
    ], markets: [] },
  ] },
  { name: '天生港镇街道', communities: [
    { name: '国庆村', grids: [
      { name: '第一网格', compounds: [
        { name: '国庆新苑', hasProperty: false, gates: [{ name: '东门', staffed: true }, { name: '南门', staffed: false }, { name: '北门', staffed: false }] },
        { name: '国庆佳苑', hasProperty: true, propertyCompany: '通城物业', gates: [{ name: '南门', staffed: true }, { name: '东门', staffed: false }] },
      ] },
    ], markets: [{ name: '江苏省盐业集团南通有限公司', kind: 'enterprise' }] },
    { name: '天生港社区', grids: [
      { name: '第一网格', compounds: [
        { name: '龙湖佳苑', hasProperty: true, propertyCompany: '龙湖物业', gates: [{ name: '东门', staffed: true }, { name: '南门', staffed: true }, { name: '西门', staffed: false }, { name: '北门', staffed: false }] },
        { name: '天生港新村', hasProperty: false, gates: [{ name: '东门', staffed: true }, { name: '南门', staffed: false }, { name: '北门', staffed: false }] },
      ] },
    ], markets: [{ name: '南通醋酸纤维有限公司', kind: 'enterprise' }, { name: '天生港菜市场', kind: 'farmers_market' }] },
    { name: '芦泾社区', grids: [
      { name: '第一网格', compounds: [
        { name: '芦泾新村', hasProperty: false, gates: [{ name: '东门', staffed: true }, { name: '南门', staffed: false }, { name: '1号门', staffed: false }] },
        { name: '芦泾花苑', hasProperty: true, propertyCompany: '通城物业', gates: [{ name: '南门', staffed: true }, { name: '北门', staffed: false }] },
        { name: '芦泾名邸', hasProperty: true, propertyCompany: '通城物业', gates: [{ name: '东门', staffed: true }, { name: '西门', staffed: false }, { name: '北门', staffed: false }] },
      ] },
    ], markets: [] },
  ] },
  { name: '秦灶街道', communities: [
    { name: '秦灶社区', grids: [
      { name: '第一网格', compounds: [
        { name: '秦灶新村', hasProperty: false, gates: [{ name: '东门', staffed: true }, { name: '南门', staffed: false }, { name: '西门', staffed: false }] },
        { name: '秦灶花苑', hasProperty: true, propertyCompany: '永安物业', gates: [{ name: '南门', staffed: true }, { name: '北门', staffed: false }] },
      ] },
      { name: '第二网格', compounds: [
        { name: '北城花园', hasProperty: true, propertyCompany: '永安物业', gates: [{ name: '东门', staffed: true }, { name: '北门', staffed: true }, { name: '西门', staffed: false }] },
      ] },
    ], markets: [{ name: '秦灶农贸市场', kind: 'farmers_market' }] },
    { name: '兴隆社区', grids: [
      { name: '第一网格', compounds: [
        { name: '兴隆花园', hasProperty: true, propertyCompany: '永安物业', gates: [{ name: '东门', staffed: true }, { name: '南门', staffed: false }] },
        { name: '兴隆雅苑', hasProperty: true, propertyCompany: '永安物业', gates: [{ name: '南门', staffed: true }, { name: '西门', staffed: false }] },
      ] },
      { name: '第二网格', compounds: [
        { name: '兴隆新村', hasProperty: false, gates: [{ name: '南门', staffed: true }, { name: '北门', staffed: false }, { name: '西门', staffed: false }] },
      ] },
    ], markets: [{ name: '苏果超市（秦灶店）', kind: 'supermarket' }] },
    { name: '新河村', grids: [
      { name: '第一网格', compounds: [
        { name: '新河安置小区', hasProperty: false, gates: [{ name: '东门', staffed: true }, { name: '南门', staffed: false }, { name: '西门', staffed: false }, { name: '北门', staffed: false }] },
        { name: '新河嘉园', hasProperty: true, propertyCompany: '永安物业', gates: [{ name: '东门', staffed: true }, { name: '南门', staffed: false }] },
      ] },
    ], markets: [] },
  ] },
  { name: '陈桥街道', communities: [
    { name: '陈桥社区', grids: [
      { name: '第一网格', compounds: [
        { name: '陈桥新村', hasProperty: false, gates: [{ name: '东门', staffed: true }, { name: '南门', staffed: false }, { name: '北门', staffed: false }] },
        { name: '陈桥花苑', hasProperty: true, propertyCompany: '崇川物业', gates: [{ name: '南门', staffed: true }, { name: '西门', staffed: false }] },
        { name: '陈桥雅苑', hasProperty: true, propertyCompany: '崇川物业', gates: [{ name: '北门', staffed: true }, { name: '东门', staffed: false }] },
      ] },
    ], markets: [{ name: '陈桥菜市场', kind: 'farmers_market' }] },
    { name: '东港社区', grids: [
      { name: '第一网格', compounds: [
        { name: '东港花园', hasProperty: true, propertyCompany: '江海物业', gates: [{ name: '东门', staffed: true }, { name: '南门', staffed: false }] },
        { name: '东港名邸', hasProperty: true, propertyCompany: '江海物业', gates: [{ name: '北门', staffed: true }, { name: '西门', staffed: false }] },
      ] },
      { name: '第二网格', compounds: [
        { name: '东港新村', hasProperty: false, gates: [{ name: '北门', staffed: true }, { name: '南门', staffed: false }, { name: '西门', staffed: false }] },
      ] },
    ], markets: [{ name: '荣石车创项目', kind: 'enterprise' }] },
    { name: '竹行村', grids: [
      { name: '第一网格', compounds: [
        { name: '竹行安置小区', hasProperty: false, gates: [{ name: '东门', staffed: true }, { name: '南门', staffed: false }, { name: '北门', staffed: false }] },
        { name: '竹行花苑', hasProperty: true, propertyCompany: '崇川物业', gates: [{ name: '南门', staffed: true }, { name: '北门', staffed: false }] },
      ] },
    ], markets: [] },
  ] },
  { name: '永兴街道', communities: [
    { name: '永兴社区', grids: [
      { name: '第一网格', compounds: [
        { name: '永兴新村', hasProperty: false, gates: [{ name: '东门', staffed: true }, { name: '南门', staffed: false }, { name: '西门', staffed: false }] },
        { name: '永兴花苑', hasProperty: true, propertyCompany: '华强物业', gates: [{ name: '南门', staffed: true }, { name: '北门', staffed: false }] },
        { name: '永兴嘉园', hasProperty: true, propertyCompany: '华强物业', gates: [{ name: '东门', staffed: true }, { name: '西门', staffed: false }] },
      ] },
    ], markets: [{ name: '永兴农贸市场', kind: 'farmers_market' }] },
    { name: '永旺社区', grids: [
      { name: '第一网格', compounds: [
        { name: '永旺佳苑', hasProperty: true, propertyCompany: '华强物业', gates: [{ name: '东门', staffed: true }, { name: '南门', staffed: false }] },
      ] },
      { name: '第二网格', compounds: [
        { name: '永旺新村', hasProperty: false, gates: [{ name: '南门', staffed: true }, { name: '北门', staffed: false }, { name: '东门', staffed: false }] },
      ] },
    ], markets: [{ name: '弗兰科德项目', kind: 'enterprise' }] },
    { name: '新园社区', grids: [
      { name: '第一网格', compounds: [
        { name: '新园小区', hasProperty: true, propertyCompany: '新城物业', gates: [{ name: '东门', staffed: true }, { name: '南门', staffed: false }, { name: '北门', staffed: false }] },
        { name: '新园佳苑', hasProperty: true, propertyCompany: '新城物业', gates: [{ name: '南门', staffed: true }, { name: '东门', staffed: false }] },
      ] },
    ], markets: [{ name: '文峰超市（永兴店）', kind: 'supermarket' }] },
  ] },
  { name: '幸福街道', communities: [
    { name: '幸福社区', grids: [
      { name: '第一网格', compounds: [
        { name: '幸福新村', hasProperty: false, gates: [{ name: '东门', staffed: true }, { name: '南门', staffed: false }, { name: '北门', staffed: false }] },
        { name: '幸福家园', hasProperty: true, propertyCompany: '通城物业', gates: [{ name: '南门', staffed: true }, { name: '西门', staffed: false }] },
        { name: '幸福名邸', hasProperty: true, propertyCompany: '通城物业', gates: [{ name: '北门', staffed: true }, { name: '东门', staffed: false }] },
      ] },
    ], markets: [{ name: '幸福菜市场', kind: 'farmers_market' }] },
    { name: '裕民社区', grids: [
      { name: '第一网格', compounds: [
        { name: '裕民花苑', hasProperty: true, propertyCompany: '新城物业', gates: [{ name: '东门', staffed: true }, { name: '南门', staffed: false }] },
        { name: '裕民名邸', hasProperty: true, propertyCompany: '新城物业', gates: [{ name: '北门', staffed: true }, { name: '西门', staffed: false }] },
      ] },
      { name: '第二网格', compounds: [
        { name: '裕民新村', hasProperty: false, gates: [{ name: '南门', staffed: true }, { name: '北门', staffed: false }, { name: '西门', staffed: false }] },
      ] },
    ], markets: [{ name: '中集项目', kind: 'enterprise' }] },
    { name: '新华村', grids: [
      { name: '第一网格', compounds: [
        { name: '新华安置小区', hasProperty: false, gates: [{ name: '东门', staffed: true }, { name: '南门', staffed: false }, { name: '西门', staffed: false }] },
        { name: '新华佳苑', hasProperty: true, propertyCompany: '新城物业', gates: [{ name: '南门', staffed: true }, { name: '北门', staffed: false }] },
      ] },
    ], markets: [] },
  ] },
]

/*
 * 名称出处（seed file → names used above）
 *
 * 000_639a254cf1379898.txt
 *   街道/社区：狼山镇街道·曹公祠社区；学田街道·学田苑社区；钟秀街道·百花村社区；虹桥街道·跃龙社区；
 *              文峰街道·光明村社区；观音山街道；任港街道·大庆社区（辖区 5 个小区）
 *   小区：任港路新村（上世纪 60 年代末老新村，10 个出入口，封闭 7 个，3 个 24 小时值守）；
 *         东方鑫乾大厦（只开北门）、瑞安名邸（乾坤物业）；悦海名邸、万豪瑜园、文华名邸（保华物业）
 *   物业公司：乾坤物业、保华物业、万豪物业
 *   企业：南通中远海运船务工程有限公司、江苏省盐业集团南通有限公司、南通富力机电设备有限公司、
 *         南通铁人运动用品有限公司
 *
 * 001_7b40a76e36feccff.txt
 *   全文为海门区、通州区、如皋市报道，不属崇川区；其中的地名（海门街道、光华社区、静海新村、
 *   武定苑、金鼎名苑、宝利广场、怡和家园、大石村等）均未使用。
 *
 * 002_7d3ba63bac618dc3.txt
 *   虹桥街道·光明社区（吉晶眼镜店）；新城桥街道·易家桥社区（辖区企业、楼宇）；观音山科技园、
 *   南通新西尔克纺织有限公司；崇川经济开发区·国胜社区、南通铁人公司；钟秀街道·校西村社区·景新网格、
 *   东景国际汽车用品一条街；城东街道·新桥北村社区；狼山镇街道·三角桥社区（楼宇企业）；
 *   南通吉时买供应链管理有限公司人民中路店（写作“吉时买超市（人民中路店）”）
 *
 * 003_a0892becd73ab3fc.txt
 *   街道/社区：新城桥街道·八厂社区；城东街道·濠东社区、小石桥社区、板桥社区；观音山街道·新胜社区；
 *              学田街道·果园社区、学田北苑社区；和平桥街道·濠西社区、濠城社区；任港街道·南通港社区（通惠支部）；
 *              狼山社区；虹桥街道·跃龙社区、光明社区；狼山镇街道·三角桥社区
 *   小区：观阳名邸
 *   物业公司：坤园物业（坤园物业管理有限公司）
 *   超市/市场：大润发（任港店）、南通通润发超市（写作“通润发超市（城东店）”）、何不生鲜、
 *              花鸟市场、狼山镇街道城山菜市场
 *   商业楼宇：和平桥街道八佰伴购物中心
 *   企业：文峰集团、中原市场投顺贸易有限公司、南通普济药房连锁有限公司、福临堂药房、京典大药房、
 *         南通市纺针品有限公司、南通玉蕙口腔医院、苏湘阁饭店、医用卫生材料厂（写作“南通医用卫生材料厂”）、
 *         新东方南通学校、百姓人家饭店、南通市科健医疗器械有限公司、乐视眼镜店（濠西路）、
 *         百分百培训学校、芜湖美宿酒店管理有限公司南通洲际分公司
 *   未使用（非市场主体）：城山幼儿园、南通汽车客运东站、各医院
 *
 * 004_387b63a182768ca5.txt
 *   街道/社区：天生港镇街道·国庆村；唐闸镇街道·长岸社区；新城桥街道·易家桥社区；学田街道·学田北苑社区；朝晖社区
 *   小区：龙湖佳苑（天生港镇街道）、中南世纪城、郭里园新村（老旧小区改造）、朝晖花园、学田北苑
 *   商业楼宇：长岸社区万象城、中关村信息谷创新园（南通·中关村信息谷创新园）
 *   市场：城山路菜市场（即城山菜市场）
 *   企业：国药控股南通有限公司、吉宝船厂、海润智能科技有限公司、狼王智能科技有限公司、
 *         醋酸纤维（写作“南通醋酸纤维有限公司”）、荣石车创、弗兰科德、中集（写作“××项目”）
 *   未使用：环西文化广场（公共广场，非小区或市场主体）、学田五标段、R20002 工地（施工工地）
 *
 * 位置推定（报道未说明归属，按常理安放）：东方鑫乾大厦→濠城社区，瑞安名邸→环西社区，悦海名邸、万豪瑜园→光明村社区，
 * 文华名邸→学田苑社区，观阳名邸→新胜社区，中南世纪城→世纪社区，郭里园新村→郭里园社区，朝晖社区→虹桥街道，
 * 城山菜市场→城山社区，狼山社区→狼山镇街道。其余街道（秦灶、陈桥、永兴、幸福）及未列出的社区、小区、网格、
 * 出入口和物业公司均为虚构。
 */
