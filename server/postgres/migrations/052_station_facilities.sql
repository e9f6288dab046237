-- What each service station offers (shared/map/kinds.ts STATION_FACILITIES): public, shown on the station card
-- and served with the stations layer. A place's equipment, never a person.
alter table stations add column facilities text[] not null default '{}'
  check (cardinality(facilities) <= 20 and facilities <@ array['water_dispenser', 'seats', 'phone_charging',
    'microwave', 'first_aid', 'reading', 'health_therapy', 'counselling', 'elderly_meals']::text[]);
