// English. Same keys as zh.ts (the type makes a missing key a compile error).
import type { MessageSchema } from './zh';

const en: MessageSchema = {
  app: {
    title: 'Gridlink',
    subtitle: 'Grid-based community governance, Yanchi County',
    documentTitle: 'Gridlink · Yanchi County',
  },
  nav: {
    label: 'Main navigation',
    wall: 'Command wall',
    inspect: 'Inspect',
    plan: 'Grid planning',
    report: 'Snap report',
  },
  language: {
    label: 'Language',
    zh: '中文',
    en: 'English',
  },
  badge: {
    synthetic: 'Synthetic demo data',
    syntheticHint: 'All map and people data shown here are synthetic demo data and describe no real place or person.',
  },
  status: {
    loadingAssets: 'Loading fonts and the map style…',
    loadingMap: 'Loading the map…',
    loadingStations: 'Loading service stations…',
    fontsIncomplete: 'Some Chinese font files did not load ({loaded}/{total}); map labels may be incomplete.',
    serverUnreachable: 'The server cannot be reached, so the map cannot load. Check that it is running, then retry.',
    httpError: 'The server answered with an error (HTTP {status}), so the map cannot load.',
    invalidResponse: 'The server sent data in an unexpected format, so the map cannot load.',
    webglUnavailable: 'The browser could not create a WebGL canvas, so the map cannot be shown.',
    stationsUnreachable: 'The server cannot be reached; service stations did not load.',
    stationsHttpError: 'Service stations failed to load (HTTP {status}).',
    stationsInvalid: 'The service station data has an unexpected format.',
    stationsEmpty: 'There are no service stations to show.',
    tilesFailed: 'Some map tiles failed to load.',
    details: 'Details: {message}',
    retry: 'Retry',
    dismiss: 'Dismiss',
  },
  mapControls: {
    zoomIn: 'Zoom in',
    zoomOut: 'Zoom out',
    map: 'Map',
  },
  legend: {
    title: 'Legend',
    compounds: 'Compound type',
    boundaries: 'Boundaries',
    stations: 'Service stations',
    grid: 'Grid boundary',
    community: 'Community boundary',
    building: 'Buildings (when zoomed in)',
    toggleKind: 'Show or hide: {kind}',
  },
  compoundType: {
    commercial_residential: 'Commercial-residential',
    old: 'Old',
    transitional: 'Transitional (resettlement)',
    work_unit: 'Work-unit',
  },
  stationKind: {
    micro_living_room: 'Red micro living room',
    street_post: 'Street-side “warm new” post',
    grid_centre: 'Grid party–mass service centre',
  },
  featureKind: {
    station: 'Service station',
    building: 'Building',
    compound: 'Compound',
    grid: 'Grid',
  },
  popup: {
    close: 'Close',
    type: 'Type',
    kind: 'Kind',
    households: 'Households',
    floors: 'Floors',
    grid: 'Grid',
    gridId: 'Grid id',
    compound: 'Compound',
    code: 'Grid code',
    communityId: 'Community id',
    id: 'Id',
  },
  pages: {
    wall: { title: 'Command wall', body: 'County-wide grid status, events and statistics will appear here (in progress).' },
    inspect: { title: 'Inspect', body: 'Click a compound, grid or station on the map for details.' },
    plan: { title: 'Grid planning', body: 'Tools to redraw grids and balance households will appear here (in progress).' },
    report: { title: 'Snap report', body: 'The mobile page to photograph and report a problem (in progress).' },
    placeholder: 'In progress',
  },
};

export default en;
