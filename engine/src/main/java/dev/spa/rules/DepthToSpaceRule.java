package dev.spa.rules;

import dev.spa.ir.Node;
import dev.spa.ir.Shapes;

import java.util.List;

/**
 * DepthToSpace [N, C*b*b, H, W] -> [N, C, H*b, W*b] and SpaceToDepth, its inverse (pixel shuffle and unshuffle). Each
 * channel c of the narrow side is b*b channels of the deep side: in DCR order (DepthToSpace's default, and SpaceToDepth's
 * only order) the positions c, c + C, ..., c + (b*b - 1)C; in CRD order the block [c*b*b, (c+1)*b*b). Channels are pruned
 * on the narrow side's count, the deep side losing all b*b of each; the spatial axes change size and are blocked.
 */
final class DepthToSpaceRule implements OperatorRule {
    @Override
    public List<String> opTypes() {
        return List.of("DepthToSpace", "SpaceToDepth");
    }

    @Override
    public void inferShapes(Node node, Shapes shapes, Constants constants) {
        long[] x = shapes.get(node.input(0));
        long b = node.attrInt("blocksize", 0);
        if (x == null || x.length != 4 || b <= 0) {
            return;
        }
        boolean toSpace = node.opType().equals("DepthToSpace");
        if (toSpace && x[1] >= 0 && x[1] % (b * b) != 0) {
            return;
        }
        long channels = x[1] < 0 ? Shapes.DYNAMIC : toSpace ? x[1] / (b * b) : x[1] * b * b;
        shapes.put(node.output(0), new long[] {x[0], channels, scaled(x[2], b, toSpace), scaled(x[3], b, toSpace)});
    }

    private static long scaled(long d, long b, boolean up) {
        return d < 0 ? Shapes.DYNAMIC : up ? d * b : d / b;
    }

    @Override
    public void propagate(Node node, Dim dim, Coupling c) {
        long b = node.attrInt("blocksize", 0);
        if (dim.axis() != 1 || b <= 0) {
            c.block(dim, node.opType() + " '" + node.name() + "' moves this axis into the channels or out of them");
            return;
        }
        boolean toSpace = node.opType().equals("DepthToSpace");
        Dim narrow = new Dim(toSpace ? node.output(0) : node.input(0), 1);
        Dim deep = new Dim(toSpace ? node.input(0) : node.output(0), 1);
        if (toSpace && node.attrString("mode", "DCR").equals("CRD")) {
            c.blocks(narrow, deep, (int) (b * b));
        } else {
            c.strided(narrow, deep, (int) (b * b));
        }
    }
}
