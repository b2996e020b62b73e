export * from './builders';
export * from './cast_aliases';
