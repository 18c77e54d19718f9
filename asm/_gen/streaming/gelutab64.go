package main

// The tables of GELU's float64 method (gelu64.go): for each piece n of s = c/(c + K) (the
// pieces centred on s = n/P, c = |x|), the coefficients of u^0 .. u^D of the polynomial in
// u = P·s - n, u in [-1/2, 1/2] (piece 0: [0, 1/2]), that approximates
//
//	f(s) = G(c)·(c + K),  G(c) = erfcx(c/√2)/2 = e^(c²/2)·erfc(c/√2)/2
//
// as float64 bits, for c in [0, 40]. AVX-512: P = 8, K = 4, D = 10 (gelu64Tab8); AVX2: P = 4,
// K = 6, D = 13 (gelu64Tab4). The coefficients come from a fit of the relative error
// (iteratively reweighted least squares at 40 digits, mpmath, on 120 Chebyshev nodes per piece),
// each coefficient rounded to float64 in turn with the higher ones refitted; evaluated by Horner
// with fused multiply-adds, each polynomial is within 2^-52.6 (gelu64Tab8) and 2^-52.2
// (gelu64Tab4) relative of f, its final rounding included. gelu64_test.go checks them.

// gelu64Tab8 are the AVX-512 pieces, one row per piece n = 0..7.
var gelu64Tab8 = [8][11]uint64{
	{0x4000000000000000, 0xbfe1884533d43651, 0x3fb4ef759857947a, 0xbf7989d6b52815d8, 0x3f12e7c34ba10210, 0x3ef6e9bd21d09c2f, 0xbe9ecc32a8f5c6f2, 0xbe7becafed495649, 0x3de0bf834bcd2abe, 0x3df4ce08a570de4d, 0x3dde1505b9b91c4d}, // 0
	{0x3ff871acdab7791c, 0xbfd9c4d00dc0e1a3, 0x3fb04fb33e384177, 0xbf77839e754a8547, 0x3f26670b6e569ee5, 0x3ef1ce35f52e4464, 0xbeb3269238009156, 0xbe76842e02f96b06, 0x3e36a7d78b6e56ed, 0x3e04ef0f11a9b79a, 0xbdc6c3291a51920a}, // 1
	{0x3ff2eeb42bebf722, 0xbfd2aaa9379cbfa8, 0x3fa868431fd44104, 0xbf741f56ef20e4b7, 0x3f2ef5b44e9aa0a2, 0x3ee252a17625673c, 0xbeb9be5fa50c9e83, 0xbe5848663011b86a, 0x3e4467f0becb3167, 0x3df11d99379ab471, 0xbdc4af8cf5b05d18}, // 2
	{0x3fede857af53ff0b, 0xbfcae40ac4f79f00, 0x3fa19ead4b3e4b29, 0xbf700573167294b0, 0x3f30d3cd9229bbcf, 0xbe9aa1131b15c945, 0xbeb7d00d4ff8825c, 0x3e6d2bc6f44a6021, 0x3e4287e0e4d5b004, 0xbdfff5314a15c327, 0xbdd440c18e31c27b}, // 3
	{0x3fe82b4bb8c94dce, 0xbfc373e3a893c28a, 0x3f98c6dbf2cfbeb8, 0xbf67dff2bff68d5e, 0x3f2eec4cc41b66ad, 0xbedee2760c5872a8, 0xbeac8173b7766021, 0x3e7ab81753a49ecf, 0x3e2182e3aa96b0ca, 0xbe0e21ea9b87956d, 0xbda06f4b42a9e7c3}, // 4
	{0x3fe3fe877d04add1, 0xbfbc8632e10e3708, 0x3f912fddcda6ef11, 0xbf60db89489b745e, 0x3f28e35bb6314d49, 0xbee5bc3bbc12697b, 0xbe865819bf7b75bd, 0x3e7738a5fdb28db9, 0xbe342d3e97840c71, 0xbe00da5dcd39c81f, 0x3dd58f98da4bf2d2}, // 5
	{0x3fe0e7dcd1d93192, 0xbfb5547ed57324ba, 0x3f87d99fbc7fcfbf, 0xbf56fa9ad6f5eb77, 0x3f221dbca33f1bf7, 0xbee4a9f31e4158b4, 0x3e92df787a021e88, 0x3e655118b14372ef, 0xbe39cb0bddc2a5cd, 0x3de5cdc9d59faa69, 0x3dc9f4c0950d8c6f}, // 6
	{0x3fdd2488076fa77f, 0xbfb050b50a7d7d07, 0x3f80bd570a98cf95, 0xbf4ed9dabbc7bc6d, 0x3f18af50dcd65a41, 0xbee004eb21ef156c, 0x3e9ba798c6d63336, 0x3e1819318ff09cc1, 0xbe2c126f3e0157af, 0x3dfe8fc6f6d4cf1a, 0x3dd41499b18851d6}, // 7
}

// gelu64Tab4 are the AVX2 pieces, one row per piece n = 0..3.
var gelu64Tab4 = [4][14]uint64{
	{0x4008000000000000, 0xc006b94dda4ebd1b, 0x3ffc46b225b14349, 0xbfe936e3f2a768fd, 0x3fd08b85f506b376, 0xbfaf8e1f5454852a, 0x3f845f95ea31d050, 0xbf4adc22421eeae7, 0xbf0621f67936c7e9, 0x3ef23307b25dff43, 0xbe931d9d39c751b4, 0xbea6697682b02258, 0x3e93a17a925c3e70, 0xbe7550460f7f011f}, // 0
	{0x3ff5845dcad2a54e, 0xbfec7c1083844737, 0x3fde0dfb57304f23, 0xbfc9b851d2f64c75, 0x3fb1e71dfa4a95a6, 0xbf940bc7f5e88c06, 0x3f717b91fa69d9a8, 0xbf45eb5e6a37f6b2, 0x3f0ddbe934314f1b, 0x3ec8f8585058fd56, 0xbeb9b4f85a0f1261, 0x3e7e73960c195f2a, 0x3e57798d59471d6a, 0xbe2fdfea26bbbff0}, // 1
	{0x3fe8e010d2b8a0ea, 0xbfd66eaa7d09640f, 0x3fc234fe3fd923ca, 0xbfaa7d65772698da, 0x3f91267d7386c694, 0xbf738b069dbfdf51, 0x3f533e77741b2c90, 0xbf2fba9d4908ba2d, 0x3f048a8723099555, 0xbed17656cc7bd092, 0x3e61048d7e8814be, 0x3e77cecdf81a414f, 0xbe503024d54d8254, 0xbdd525a742148b43}, // 2
	{0x3fe0f82fe4745755, 0xbfc6136397d58f56, 0x3fab494894d34b7a, 0xbf8fe7cb084a58ff, 0x3f718c9e7af9eb96, 0xbf52088a5044bd37, 0x3f312452d9ca7ca9, 0xbf0dba44cc28380f, 0x3ee701a9fa038941, 0xbebe94ff76bb73d6, 0x3e900bda04e15745, 0xbe53c07ee2254e9a, 0xbe186fe112af7a88, 0x3e0b07657cb974ba}, // 3
}
