// Hover highlight through feature-state: the feature under the pointer in each target layer gets
// `{ hover: true }`; the style draws it stronger. Requires `promoteId: 'id'` on the sources.
import type { Map as MapLibreMap, MapMouseEvent } from 'maplibre-gl';

export interface HoverTarget {
  layerId: string;
  source: string;
}

type FeatureKey = { source: string; sourceLayer: string; id: string | number };

/** Start highlighting; returns a function that stops it and clears the state. */
export function attachHoverHighlight(map: MapLibreMap, targets: readonly HoverTarget[]): () => void {
  const current = new Map<string, FeatureKey>();

  function clear(source: string): void {
    const previous = current.get(source);
    if (previous) {
      map.setFeatureState(previous, { hover: false });
      current.delete(source);
    }
  }

  function onMove(event: MapMouseEvent): void {
    const layers = targets.map((target) => target.layerId).filter((id) => map.getLayer(id));
    const features = layers.length ? map.queryRenderedFeatures(event.point, { layers }) : [];
    for (const target of targets) {
      const feature = features.find((candidate) => candidate.layer.id === target.layerId);
      const next: FeatureKey | undefined =
        feature && feature.id !== undefined && feature.sourceLayer
          ? { source: target.source, sourceLayer: feature.sourceLayer, id: feature.id }
          : undefined;
      const previous = current.get(target.source);
      if (previous && next && previous.id === next.id) continue;
      clear(target.source);
      if (next) {
        map.setFeatureState(next, { hover: true });
        current.set(target.source, next);
      }
    }
  }

  function onLeave(): void {
    for (const target of targets) clear(target.source);
  }

  map.on('mousemove', onMove);
  map.on('mouseout', onLeave);
  return () => {
    map.off('mousemove', onMove);
    map.off('mouseout', onLeave);
    onLeave();
  };
}
