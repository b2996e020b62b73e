// CPU kernels of the random op family (registered on import).
export {};
