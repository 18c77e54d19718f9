package nn

// geom is the geometry of a window sliding over one sample of C channels of H x W: a KH x KW
// window moved by Stride, over the sample padded with Pad zeros on every side, giving OH x OW
// positions. Convolution and pooling share it.
type geom struct {
	C, H, W     int
	KH, KW      int
	Stride, Pad int
	OH, OW      int
}

// newGeom returns the geometry of a KH x KW window with the given stride and padding over
// samples of shape in; ok is false when the padded input is smaller than the window.
func newGeom(in Shape, kh, kw, stride, pad int) (g geom, ok bool) {
	g = geom{C: in.C, H: in.H, W: in.W, KH: kh, KW: kw, Stride: stride, Pad: pad}
	if in.H+2*pad < kh || in.W+2*pad < kw {
		return g, false
	}
	g.OH = (in.H+2*pad-kh)/stride + 1
	g.OW = (in.W+2*pad-kw)/stride + 1
	return g, true
}

func (g *geom) inSize() int { return g.C * g.H * g.W }

// positions returns the number of window positions, OH*OW.
func (g *geom) positions() int { return g.OH * g.OW }

// span returns the output columns [lo, hi) whose window column kj falls inside the input
// (0 <= ow*Stride - Pad + kj < W).
func (g *geom) span(kj int) (lo, hi int) {
	first := g.Pad - kj // ow*Stride >= first
	if first > 0 {
		lo = (first + g.Stride - 1) / g.Stride
	}
	last := g.W - 1 + g.Pad - kj // ow*Stride <= last
	if last < 0 {
		return 0, 0
	}
	hi = min(g.OW, last/g.Stride+1)
	return min(lo, hi), hi
}

// im2col writes the column matrix of one sample x (C x H x W) into col: row (c*KH + ki)*KW + kj,
// column oh*OW + ow holds x[c][oh*Stride-Pad+ki][ow*Stride-Pad+kj], or 0 where that falls in the
// padding. Rows are ld apart (ld >= OH*OW); rows past C*KH*KW are not touched. A convolution is
// then the product of its weights (out x C*KH*KW) by col.
func im2col(col []float32, ld int, x []float32, g *geom) {
	p, hw, s := g.OH*g.OW, g.H*g.W, g.Stride
	r := 0
	for c := range g.C {
		xc := x[c*hw : (c+1)*hw]
		for ki := range g.KH {
			for kj := range g.KW {
				row := col[r*ld : r*ld+p]
				r++
				lo, hi := g.span(kj)
				off := kj - g.Pad // input column of output column 0
				for oh := range g.OH {
					dst := row[oh*g.OW : (oh+1)*g.OW]
					ih := oh*s - g.Pad + ki
					if ih < 0 || ih >= g.H {
						clear(dst)
						continue
					}
					src := xc[ih*g.W : (ih+1)*g.W]
					clear(dst[:lo])
					clear(dst[hi:])
					if s == 1 {
						copy(dst[lo:hi], src[lo+off:hi+off])
						continue
					}
					iw := lo*s + off
					for ow := lo; ow < hi; ow++ {
						dst[ow] = src[iw]
						iw += s
					}
				}
			}
		}
	}
}

// col2im is the adjoint of im2col: it sets dx (C x H x W) to the sum, over the entries of col
// that im2col would take from each input value, of those entries (the padding's are dropped).
func col2im(dx []float32, col []float32, ld int, g *geom) {
	clear(dx[:g.inSize()])
	p, hw, s := g.OH*g.OW, g.H*g.W, g.Stride
	r := 0
	for c := range g.C {
		dc := dx[c*hw : (c+1)*hw]
		for ki := range g.KH {
			for kj := range g.KW {
				row := col[r*ld : r*ld+p]
				r++
				lo, hi := g.span(kj)
				if lo >= hi {
					continue
				}
				off := kj - g.Pad
				for oh := range g.OH {
					ih := oh*s - g.Pad + ki
					if ih < 0 || ih >= g.H {
						continue
					}
					src := row[oh*g.OW : (oh+1)*g.OW]
					dst := dc[ih*g.W : (ih+1)*g.W]
					if s == 1 {
						d := dst[lo+off : hi+off]
						for j, v := range src[lo:hi] {
							d[j] += v
						}
						continue
					}
					iw := lo*s + off
					for ow := lo; ow < hi; ow++ {
						dst[iw] += src[ow]
						iw += s
					}
				}
			}
		}
	}
}
