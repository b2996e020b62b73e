// CPU kernels of the array op family (registered on import).
export {};
