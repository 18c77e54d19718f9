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
// samples of shape in; ok is false when the padded input is smaller than the window, or (then
// tooLarge reports it) holds more than 2^31-1 values.
func newGeom(in Shape, kh, kw, stride, pad int) (g geom, ok bool) {
	g = geom{C: in.C, H: in.H, W: in.W, KH: kh, KW: kw, Stride: stride, Pad: pad}
	hp, wp := int64(in.H)+2*int64(pad), int64(in.W)+2*int64(pad)
	if hp < int64(kh) || wp < int64(kw) {
		return g, false
	}
	if int64(in.C)*hp*wp > maxDim {
		g.Pad = -1 // too large: see tooLarge
		return g, false
	}
	g.OH = (in.H+2*pad-kh)/stride + 1
	g.OW = (in.W+2*pad-kw)/stride + 1
	return g, true
}

// tooLarge reports whether newGeom refused the geometry for its size.
func (g *geom) tooLarge() bool { return g.Pad < 0 }

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

// padScratch returns the length of the scratch im2col and col2im need, for a padded copy of a
// sample when the stride is 1 and there is padding, else 0.
func (g *geom) padScratch() int {
	if g.Stride != 1 || g.Pad == 0 {
		return 0
	}
	return g.C * (g.H + 2*g.Pad) * (g.W + 2*g.Pad)
}

// padded returns the geometry over the sample padded with zeros: the same window positions
// without padding.
func (g *geom) padded() geom {
	p := *g
	p.H, p.W, p.Pad = g.H+2*g.Pad, g.W+2*g.Pad, 0
	return p
}

// padInput copies the sample x into pad (g.padScratch() floats) with g.Pad zeros around each of its
// channels, and returns that part of pad: the sample of g.padded().
func padInput(pad, x []float32, g *geom) []float32 {
	pg := g.padded()
	xp := pad[:g.C*pg.H*pg.W]
	clear(xp)
	h, w, pw := g.H, g.W, pg.W
	for c := range g.C {
		for i := range h {
			copy(xp[(c*pg.H+i+g.Pad)*pw+g.Pad:], x[(c*h+i)*w:(c*h+i+1)*w])
		}
	}
	return xp
}

// im2col writes the column matrix of one sample x (C x H x W) into col: row (c*KH + ki)*KW + kj,
// column oh*OW + ow holds x[c][oh*Stride-Pad+ki][ow*Stride-Pad+kj], or 0 where that falls in the
// padding. Rows are ld apart (ld >= OH*OW); rows past C*KH*KW are not touched. A convolution is
// then the product of its weights (out x C*KH*KW) by col. pad is scratch of g.padScratch() floats:
// with stride 1 and padding, x is first copied into it with its zeros around, which makes the
// rows whole copies.
func im2col(col []float32, ld int, x []float32, g *geom, pad []float32) {
	if n := g.padScratch(); n > 0 {
		pg := g.padded()
		im2col(col, ld, padInput(pad, x, g), &pg, nil)
		return
	}
	p, hw, s, ow, w := g.OH*g.OW, g.H*g.W, g.Stride, g.OW, g.W
	// Without padding and with stride 1, row (c, ki, kj) is row (c, ki-1, kj) moved up by one
	// output row, plus the new last output row: one long copy instead of OH short ones.
	shift := s == 1 && g.Pad == 0
	r := 0
	for c := range g.C {
		xc := x[c*hw : (c+1)*hw]
		for ki := range g.KH {
			ohLo, ohHi := g.rows(ki)
			for kj := range g.KW {
				row := col[r*ld : r*ld+p]
				r++
				if shift && ki > 0 {
					prev := col[(r-1-g.KW)*ld : (r-1-g.KW)*ld+p]
					copy(row, prev[ow:])
					ih := g.OH - 1 + ki
					copy(row[(g.OH-1)*ow:], xc[ih*w+kj:ih*w+kj+ow])
					continue
				}
				clear(row[:ohLo*ow])
				clear(row[ohHi*ow:])
				lo, hi := g.span(kj)
				off := kj - g.Pad
				if s == 1 && lo == 0 && hi == ow {
					ih := ohLo - g.Pad + ki
					for oh := ohLo; oh < ohHi; oh++ {
						copy(row[oh*ow:oh*ow+ow], xc[ih*w+off:ih*w+off+ow])
						ih++
					}
					continue
				}
				for oh := ohLo; oh < ohHi; oh++ {
					dst := row[oh*ow : (oh+1)*ow]
					ih := oh*s - g.Pad + ki
					src := xc[ih*w : (ih+1)*w]
					if lo > 0 {
						clear(dst[:lo])
					}
					if hi < ow {
						clear(dst[hi:])
					}
					iw := lo*s + off
					for j := lo; j < hi; j++ {
						dst[j] = src[iw]
						iw += s
					}
				}
			}
		}
	}
}

// rows returns the output rows [lo, hi) whose window row ki falls inside the input
// (0 <= oh*Stride - Pad + ki < H).
func (g *geom) rows(ki int) (lo, hi int) {
	if f := g.Pad - ki; f > 0 {
		lo = (f + g.Stride - 1) / g.Stride
	}
	last := g.H - 1 + g.Pad - ki
	if last < 0 {
		return 0, 0
	}
	hi = min(g.OH, last/g.Stride+1)
	return min(lo, hi), hi
}

// col2im is the adjoint of im2col: it sets dx (C x H x W) to the sum, over the entries of col
// that im2col would take from each input value, of those entries (the padding's are dropped).
// pad is im2col's scratch: with stride 1 and padding the sums go to a padded sample, cropped at
// the end, so that every row is whole.
func col2im(dx []float32, col []float32, ld int, g *geom, pad []float32) {
	if n := g.padScratch(); n > 0 {
		pg := g.padded()
		xp := pad[:n]
		col2im(xp, col, ld, &pg, nil)
		h, w, pw := g.H, g.W, pg.W
		for c := range g.C {
			for i := range h {
				copy(dx[(c*h+i)*w:(c*h+i+1)*w], xp[(c*pg.H+i+g.Pad)*pw+g.Pad:])
			}
		}
		return
	}
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
