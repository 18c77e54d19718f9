package kernels

import "fmt"

// Transpose writes the transpose of the rows x cols matrix src (row stride lds) into dst (row
// stride ldd), which is cols x rows:
//
//	for i := range rows {
//		for j := range cols {
//			dst[j*ldd+i] = src[i*lds+j]
//		}
//	}
//
// Only those elements of dst are written; the values are copied bit for bit. src and dst must
// not overlap. It panics unless rows, cols >= 0, lds >= cols, ldd >= rows (where the matrix is not
// empty) and the slices hold the matrices. The assembly paths move whole blocks (8 x 8 float32
// and 4 x 4 float64 with AVX2, 4 x 4 and 2 x 2 with NEON) with in-register shuffles, the edges
// in Go.
func Transpose[T Float](dst []T, ldd int, src []T, lds int, rows, cols int) {
	switch {
	case rows < 0 || cols < 0:
		panic(fmt.Sprintf("kernels.Transpose: rows = %d, cols = %d, must not be negative", rows, cols))
	case rows == 0 || cols == 0:
		return
	case lds < cols || ldd < rows:
		panic(fmt.Sprintf("kernels.Transpose: lds = %d must be at least cols = %d and ldd = %d at least rows = %d", lds, cols, ldd, rows))
	case len(src) < (rows-1)*lds+cols:
		panic(fmt.Sprintf("kernels.Transpose: len(src) = %d, a %d x %d matrix with row stride %d needs %d", len(src), rows, cols, lds, (rows-1)*lds+cols))
	case len(dst) < (cols-1)*ldd+rows:
		panic(fmt.Sprintf("kernels.Transpose: len(dst) = %d, a %d x %d matrix with row stride %d needs %d", len(dst), cols, rows, ldd, (cols-1)*ldd+rows))
	}
	kern[T]().transpose(dst, ldd, src, lds, rows, cols)
}

// transposeRef is Transpose in pure Go: blocks of 4 x 4, so that each destination row gets four
// adjacent values per visit, then the edges.
func transposeRef[T Float](dst []T, ldd int, src []T, lds int, rows, cols int) {
	i := 0
	for ; i+4 <= rows; i += 4 {
		s0, s1 := src[i*lds:i*lds+cols], src[(i+1)*lds:(i+1)*lds+cols]
		s2, s3 := src[(i+2)*lds:(i+2)*lds+cols], src[(i+3)*lds:(i+3)*lds+cols]
		for j, v := range s0 {
			d := dst[j*ldd+i : j*ldd+i+4]
			d[0], d[1], d[2], d[3] = v, s1[j], s2[j], s3[j]
		}
	}
	transposeEdge(dst, ldd, src, lds, i, rows, 0, cols)
}

// transposeEdge transposes rows i0..i1-1 and columns j0..j1-1 of src into dst, element by element.
func transposeEdge[T Float](dst []T, ldd int, src []T, lds int, i0, i1, j0, j1 int) {
	for i := i0; i < i1; i++ {
		for j, v := range src[i*lds+j0 : i*lds+j1] {
			dst[(j0+j)*ldd+i] = v
		}
	}
}

// transposeBlocks returns the Transpose that moves the whole b x b blocks with blocks, an assembly
// kernel, a tile of 64 x 64 at a time (so that the 64 destination rows a tile writes stay in L1
// however far apart they are), and the edges (the last rows%b rows, the last cols%b columns) in
// Go. Where the rows of src hold b columns from the last whole block on (lds >= cols/b*b + b, and
// so does the slice), as when a matrix of 30 channels is stored 32 apart, the last columns too
// are moved by blocks, into a scratch of b rows whose first cols%b rows are then copied into dst.
func transposeBlocks[T Float](b int, blocks func(dst []T, ldd int, src []T, lds int, rows, cols int)) func(dst []T, ldd int, src []T, lds int, rows, cols int) {
	if b > 8 {
		panic("kernels: transposeBlocks with blocks of more than 8")
	}
	return func(dst []T, ldd int, src []T, lds int, rows, cols int) {
		const tile = 64
		r, c := rows/b*b, cols/b*b
		for i := 0; i < r; i += tile {
			for j := 0; j < c; j += tile {
				blocks(dst[j*ldd+i:], ldd, src[i*lds+j:], lds, min(tile, r-i), min(tile, c-j))
			}
		}
		if c < cols && r > 0 && c+b <= lds && (r-1)*lds+c+b <= len(src) {
			var scratch [8 * tile]T
			for i := 0; i < r; i += tile {
				h := min(tile, r-i)
				blocks(scratch[:], tile, src[i*lds+c:], lds, h, b)
				for j := range cols - c {
					copy(dst[(c+j)*ldd+i:(c+j)*ldd+i+h], scratch[j*tile:j*tile+h])
				}
			}
		} else {
			transposeEdge(dst, ldd, src, lds, 0, r, c, cols)
		}
		transposeEdge(dst, ldd, src, lds, r, rows, 0, cols)
	}
}
