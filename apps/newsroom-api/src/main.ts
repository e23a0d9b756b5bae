// placeholder, replaced by the API bootstrap
export {};
