// CPU kernels of the nn op family (registered on import).
export {};
