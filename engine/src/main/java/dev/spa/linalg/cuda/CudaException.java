package dev.spa.linalg.cuda;

import dev.spa.SpaException;

/** A CUDA, cuBLAS or cuSOLVER call that returned an error: the message names the call and the code. */
public class CudaException extends SpaException {
    public CudaException(String message) {
        super(message);
    }
}
