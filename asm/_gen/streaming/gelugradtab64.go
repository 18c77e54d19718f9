package main

// The tables of GELUGrad's float64 method (gelugrad64.go): for each piece n of s = c/(c + K)
// (the pieces centred on s = n/P, c = |x| clamped to 60), the coefficients of u^0 .. u^D of the
// polynomial in u = P·s - n, u in [-1/2, 1/2] (piece 0: [0, 1/2]; the last piece on to s(60)),
// that approximates
//
//	g(s) = G(c)·(c + K)/K = G(c)/(1 - s),  G(c) = erfcx(c/√2)/2 = e^(c²/2)·erfc(c/√2)/2
//
// as float64 bits, for c in [0, 60] (GELU's forward tables, gelutab64.go, end at 40). AVX-512:
// P = 8, K = 6, D = 10 (ggrad64Tab8; s(60) = 0.909, piece 7 to u = 0.27); AVX2: P = 4, K = 6,
// D = 13 (ggrad64Tab4), the last piece, n = 3, taken on to s(60), u = 0.64 (the kernel clamps n
// to 3). The coefficients come from a fit of the relative error (Lawson's iteratively reweighted
// least squares with mpmath at 50 digits, 120 Chebyshev nodes per piece, 25 iterations), each
// coefficient then rounded to float64 in turn, lowest first, with the higher ones refitted to the
// same weights; evaluated by Horner with fused multiply-adds (checked on 513 points per piece
// against mpmath), each polynomial is within 2^-52.4 (ggrad64Tab8) and 2^-52.8 (ggrad64Tab4)
// relative of g, its final rounding included. gelugrad64_test.go checks them against a 200-bit
// reference.

// ggrad64Tab8 are the AVX-512 pieces, one row per piece n = 0..7.
var ggrad64Tab8 = [8][11]uint64{
	{0x3fe0000000000000, 0xbfce4c67cdbe5179, 0x3fb2d9cc1920d755, 0xbf90cf42a1c4dd3b, 0x3f660f5d46abba27, 0xbf35096a364b607b, 0x3efb2a1c9a6e2a33, 0xbeb1e7f4a1382ec9, 0xbe5d96b1125dd64c, 0x3e38bfd19abfea59, 0xbde50428b06415b8}, // 0
	{0x3fd4aa8f6c30cbb2, 0xbfc08f1e9a3a5714, 0x3fa34da6abaca210, 0xbf81269a6c1f5f07, 0x3f578ef7dfd844ce, 0xbf28c010d103c26d, 0x3ef2fe4111a5ae0b, 0xbeb2771c9fee4362, 0x3e515b15d4954a49, 0x3e2fdeed52a56665, 0xbdf2a59487e2438e}, // 1
	{0x3fccb07d0e6e31be, 0xbfb2fd6057ad84c9, 0x3f9409523a203376, 0xbf71258be1f9a8b2, 0x3f47ded2a30fb769, 0xbf1aba5ff1cff61d, 0x3ee74f6d4d407473, 0xbead39d6a27f32bb, 0x3e63e7eabab699e3, 0x3e10c1350c5824da, 0xbdf115e5228db4bd}, // 2
	{0x3fc53ea891e1b065, 0xbfa71c6c51054ad1, 0x3f8585b397e0e43f, 0xbf612fc5c926f121, 0x3f376f3a31820632, 0xbf0af54af22e7304, 0x3ed98b7bb5226f64, 0xbea2fc2a68bde14a, 0x3e6390b86176e85f, 0xbe0dd46b5f925c1a, 0xbddf252a47c76a6f}, // 3
	{0x3fc095608c7b15f1, 0xbf9de8e35161daa9, 0x3f7846a855218810, 0xbf51a8ee4f6f7e4a, 0x3f26ddfc9a03f2bb, 0xbefa0eb37a9b5f71, 0x3ec9a89f4c003d21, 0xbe952718facf5112, 0x3e5b6359a61ef453, 0xbe1732a33c886e33, 0x3d95dab8ea5bd977}, // 4
	{0x3fbaf84b93093c5d, 0xbf947a95e2aa8d53, 0x3f6cedc026207379, 0xbf42e8cc069540ee, 0x3f16b8df3473e7f7, 0xbee8dcb2078215ff, 0x3eb86fea585f2a35, 0xbe8520d3f16415f1, 0x3e4efd1846dd3762, 0xbe11d86adb6b51d2, 0x3dc91043e38709e4}, // 5
	{0x3fb6a03fdb45c9c7, 0xbf8d6f2f751cbf27, 0x3f6230db0de22ee8, 0xbf35453205868942, 0x3f076628a40b226a, 0xbed80b6317afa13d, 0x3ea6db18f5f87b90, 0xbe73d17eabff2674, 0x3e3ead3d4c740bab, 0xbe046c5ccbc12cd0, 0x3dc51f66e8f60d11}, // 6
	{0x3fb371327751d3ed, 0xbf8604c6ec793232, 0x3f5805a1fc17e643, 0xbf29297b9b891f85, 0x3ef9335557aaa7df, 0xbec801bed6e0e791, 0x3e959af11f08ab8d, 0xbe6232f1c51731b8, 0x3e2c508d00afea08, 0xbdf3a4dc51abe078, 0x3dbd556ff47b3d33}, // 7
}

// ggrad64Tab4 are the AVX2 pieces, one row per piece n = 0..3.
var ggrad64Tab4 = [4][14]uint64{
	{0x3fe0000000000000, 0xbfde4c67cdbe5179, 0x3fd2d9cc1920d755, 0xbfc0cf42a1c4ddf9, 0x3fa60f5d46ac94b6, 0xbf85096a36afcc8f, 0x3f5b2a1ccb84a0cf, 0xbf21e802cb6ff2a1, 0xbedd8cb04511e94e, 0x3ec87b77f291c645, 0xbe79971c2cc2614e, 0xbe6d13154c49a294, 0x3e436095299d83f0, 0xbe119e777eae59f5}, // 0
	{0x3fccb07d0e6e31be, 0xbfc2fd6057ad84d0, 0x3fb409523a203376, 0xbfa1258be1f9864f, 0x3f87ded2a30ff4c6, 0xbf6aba5ff290baa4, 0x3f474f6d4bef0afd, 0xbf1d39d32d4c868c, 0x3ee3e7f48e33236c, 0x3ea0a56687ececc8, 0xbe9124fb041b8fec, 0x3e545f668aa1acbd, 0x3e3034ae0d3c245b, 0xbe0849d40b0fe7c8}, // 1
	{0x3fc095608c7b15f1, 0xbfade8e35161dabe, 0x3f9846a85521879b, 0xbf81a8ee4f6f131e, 0x3f66ddfc9a056850, 0xbf4a0eb37cf8ac8a, 0x3f29a89f49514b3e, 0xbf0527138d880e77, 0x3edb635b25cd19f8, 0xbea74865600a6334, 0x3e36e56dda6a78cf, 0x3e4fb1b5bbe1b066, 0xbe2622455337fa19, 0x3db3a5dc902d0ecb}, // 2
	{0x3fb6a03fdb45c9c7, 0xbf9d6f2f751cbf24, 0x3f8230db0de23115, 0xbf6545320586cf7b, 0x3f476628a3fa7901, 0xbf280b6315dd129f, 0x3f06db19201c78ac, 0xbee3d1830d709979, 0x3ebeace491489298, 0xbe946373ec7c82db, 0x3e65645b299c467c, 0xbe2a24755a82a42c, 0xbdef9f87e13020b0, 0x3ddc614773588b80}, // 3
}
