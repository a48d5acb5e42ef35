package dev.spa.ir;

import dev.spa.SpaException;

/**
 * The model breaks a rule of the ONNX format (not merely something the engine cannot follow): no
 * runtime would load it, so it is refused as a whole rather than analysed around.
 */
public class InvalidModelException extends SpaException {
    public InvalidModelException(String message) {
        super(message);
    }
}
