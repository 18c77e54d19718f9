package main

// geluTab32 is the table of GELU's float32 method (gelu32.go), one row per interval of a = |x|,
// by the table index i = (bits(a + 9/8) >> 21) mod 16: the expansion point C, then the
// coefficients c0..c6 of tt^0..tt^6 (tt = a - C) of the polynomial that approximates
// a·erfcx(a/√2)/2, all as float32 bits. Row 12 is a in [0, 1/8), rows 13-15 [1/8, 7/8) (steps of
// 1/4), 0-3 [7/8, 23/8) (1/2), 4-7 [23/8, 55/8) (1) and 8-11 [55/8, 119/8) (2), the last clamped
// at geluMax32. Row 12 is expanded at C = 0 with c0 = 0 and c1 = 1/2 exactly; every other C is a
// multiple of 2^-14 near the middle of its interval at which R̃(C) is a float32 to within 2^-31
// relative, and c0 is that float32. The coefficients come from a minimax fit of the relative error
// (iteratively reweighted least squares in float64) on the interval widened by 2^-10 of its
// width, each then rounded to float32 in turn, from c1 up, with the higher ones refitted;
// gelu32_test.go checks the result.
var geluTab32 = [16][8]uint32{
	{0x3f900200, 0x3e8d5071, 0x3ddb28b2, 0xbd807e4c, 0x3cf58de1, 0xbc4c7c00, 0x3b9b597c, 0xbad7d38a}, // 0
	{0x3fd04200, 0x3ea252a4, 0x3d7c4cac, 0xbd023cd1, 0x3c5e0f1e, 0xbba6a8cb, 0x3ae57b2e, 0xba0fdaa9}, // 1
	{0x4007c500, 0x3eaea41d, 0x3d1bf233, 0xbc8f0ddf, 0x3bdb255c, 0xbb150817, 0x3a3ae080, 0xb9569dd6}, // 2
	{0x40281a00, 0x3eb69541, 0x3cc94be4, 0xbc24e3fc, 0x3b63b6b1, 0xba8cc782, 0x39a1145b, 0xb8959595}, // 3
	{0x4057f500, 0x3ebdb636, 0x3c646085, 0xbba05e91, 0x3abff365, 0xb9cf6c14, 0x38d4ccc2, 0xb7c9027a}, // 4
	{0x408bc800, 0x3ec2e86b, 0x3bf19e60, 0xbb0d714a, 0x3a0eaaf9, 0xb9031a6b, 0x37e4fc00, 0xb6b9177e}, // 5
	{0x40abfa00, 0x3ec5d150, 0x3b8c63f9, 0xba8bdb71, 0x3971e42d, 0xb83fe2c7, 0x37105e08, 0xb5c7261d}, // 6
	{0x40cc1500, 0x3ec7915f, 0x3b30563f, 0xba18624a, 0x38e5d43b, 0xb79f8318, 0x3652de7a, 0xb50fa97e}, // 7
	{0x40fc1680, 0x3ec91d59, 0x3ac36a23, 0xb98c68ee, 0x3830f4a2, 0xb6ce6d91, 0x356b6e51, 0xb3fd2199}, // 8
	{0x411e0d40, 0x3eca39fa, 0x3a4c960a, 0xb8ef2cac, 0x377651c6, 0xb5ec3f28, 0x345a2d42, 0xb2ae82c7}, // 9
	{0x413df900, 0x3ecad6df, 0x39efcfdd, 0xb86be671, 0x36ccef57, 0xb5259f5f, 0x33817b26, 0xb1d2d39f}, // 10
	{0x415af800, 0x3ecb2f55, 0x399e2c2f, 0xb807d9aa, 0x364e70b3, 0xb498f320, 0x32c6ed39, 0x3232ba04}, // 11
	{0x00000000, 0x00000000, 0x3f000000, 0xbecc4229, 0x3e7fff8c, 0xbe081e4a, 0x3d7d1d8f, 0xbcb68485}, // 12
	{0x3e7bd000, 0x3dd12076, 0x3eaf3b55, 0xbe826e59, 0x3e19d895, 0xbd9b02c2, 0x3d0b8806, 0xbc5b08bd}, // 13
	{0x3effe800, 0x3e32f5d6, 0x3e7350c1, 0xbe28c001, 0x3dbb1673, 0xbd323d3e, 0x3c9779b8, 0xbbee1724}, // 14
	{0x3f3fe800, 0x3e6683ca, 0x3e2e111c, 0xbde18490, 0x3d6b6d69, 0xbcd47090, 0x3c2c9914, 0xbb806e18}, // 15
}
