// CPU kernels of the reduce op family (registered on import).
export {};
