package kernels

import "math"

// erfc for the float64 GELU and GELUGrad where math.Erfc is not accurate enough (up to 3 ULP for
// arguments from 0.84375 on, from its two exponentials): z in [0.8125, 3] by Taylor series about
// tabulated points, z >= 3 by the continued fraction. Both return their result in two parts so
// that the caller can multiply it in with a single rounding.

// erfcAnchors holds erfc(k/16) for k = 13..48 as double-doubles {hi, lo} (checked against a
// 192-bit evaluation in the tests).
var erfcAnchors = [36][2]float64{
	{0x1.008c80a24ff1p-02, -0x1.66cf14bcad032p-56},  // erfc(13/16)
	{0x1.ba36dab91c0e9p-03, 0x1.3c896e9a97c59p-58},  // erfc(14/16)
	{0x1.7aab97a554544p-03, -0x1.a558a46df5f67p-57}, // erfc(15/16)
	{0x1.4226162fbddd5p-03, -0x1.b40443f6ec34ap-59}, // erfc(16/16)
	{0x1.1043c1086777dp-03, 0x1.91608a4706a42p-58},  // erfc(17/16)
	{0x1.c9296beb09cf1p-04, -0x1.5224acd170beep-59}, // erfc(18/16)
	{0x1.7d3fa69816db5p-04, 0x1.81ace739008b7p-58},  // erfc(19/16)
	{0x1.3bcd133aa0ffcp-04, -0x1.89da82345938bp-62}, // erfc(20/16)
	{0x1.03d0ab9273b94p-04, -0x1.1c2fb565dcadep-60}, // erfc(21/16)
	{0x1.a8973c4b5c03ep-05, 0x1.d27662c1d9dc2p-59},  // erfc(22/16)
	{0x1.588cf12f4446bp-05, 0x1.3a42831ec7755p-59},  // erfc(23/16)
	{0x1.15aaa8ec85205p-05, -0x1.e86ee834da4cep-61}, // erfc(24/16)
	{0x1.bc6c1da1f3121p-06, 0x1.fbf90a59c8999p-60},  // erfc(25/16)
	{0x1.612d893085125p-06, -0x1.7847afe4f2a7bp-62}, // erfc(26/16)
	{0x1.16b24cb8f8f92p-06, -0x1.9d194a11ca30dp-62}, // erfc(27/16)
	{0x1.b4be201caa4b4p-07, -0x1.6abde927f9cddp-61}, // erfc(28/16)
	{0x1.53c89d8bb3ddbp-07, -0x1.9e42624e454bfp-63}, // erfc(29/16)
	{0x1.0678442cc256fp-07, -0x1.77b62199d8601p-61}, // erfc(30/16)
	{0x1.9299afa0246a6p-08, -0x1.e613bc6b0debdp-62}, // erfc(31/16)
	{0x1.328f5ec350e67p-08, -0x1.ca006412e68dp-62},  // erfc(32/16)
	{0x1.cf80d4afc3019p-09, -0x1.6aabfff1e020bp-63}, // erfc(33/16)
	{0x1.5bde729a6b60fp-09, 0x1.999ec7becc5c7p-65},  // erfc(34/16)
	{0x1.033197ec68c0ep-09, -0x1.b0615fb45c6ffp-63}, // erfc(35/16)
	{0x1.7f713f9cc9784p-10, -0x1.4207143202515p-64}, // erfc(36/16)
	{0x1.198fd6a0ee7bdp-10, 0x1.78dc7315b06e8p-64},  // erfc(37/16)
	{0x1.9a7c305336484p-11, 0x1.6394dd2ff0093p-65},  // erfc(38/16)
	{0x1.29082600643fdp-11, 0x1.8be7e5c848c07p-65},  // erfc(39/16)
	{0x1.aab859b20ac9ep-12, 0x1.88f4ff748376bp-66},  // erfc(40/16)
	{0x1.30439c56dadf6p-12, 0x1.2900671ba2e85p-67},  // erfc(41/16)
	{0x1.aeb4423e690e7p-13, -0x1.a732e928e4c5dp-68}, // erfc(42/16)
	{0x1.2e984ed53e777p-13, 0x1.9c7db1f96e779p-72},  // erfc(43/16)
	{0x1.a609f7584d32bp-14, 0x1.d92f3f7ab9ef5p-68},  // erfc(44/16)
	{0x1.2422ed95a3235p-14, -0x1.8174270a3a7eap-68}, // erfc(45/16)
	{0x1.916f7c5f2f764p-15, 0x1.84e95673c70a1p-70},  // erfc(46/16)
	{0x1.11c3bed8e716ap-15, -0x1.899ad47c9a36bp-70}, // erfc(47/16)
	{0x1.729df6503422ap-16, 0x1.784ca4c429a15p-73},  // erfc(48/16)
}

// erfcAnchorB holds (2/√π)·e^(-z0²) at the anchors z0 = k/16 (z0² is exact), within 1 ULP.
var erfcAnchorB = func() (b [36]float64) {
	for i := range b {
		z0 := float64(i+13) / 16
		b[i] = twoOverSqrtPi * expAcc(-z0*z0, 0)
	}
	return b
}()

// erfcMid returns erfc(z) = hi + lo for z = zh + zl, zh in [0.8125, 3.03125], to about 2^-60
// relative, |lo| < 0.22·hi. About the nearest anchor z0 = k/16, with h = (zh - z0) + zl
// (|h| <= 1/32),
//
//	erfc(z0 + h) = erfc(z0) - (2/√π)·e^(-z0²)·Σ_{n>=0} (-1)ⁿ Hₙ(z0) h^(n+1)/(n+1)!,
//
// Hₙ the Hermite polynomials (H₀ = 1, H₁ = 2z, Hₙ₊₁ = 2z·Hₙ - 2n·Hₙ₋₁): the derivatives of erfc
// are -(2/√π)(-1)ⁿ Hₙ(z) e^(-z²). The sum is at most 0.21 of erfc(z0) (about 2z0·h), so its
// rounding errors reach the result damped.
func erfcMid(zh, zl float64) (hi, lo float64) {
	k := int(zh*16 + 0.5)
	z0 := float64(k) / 16
	h := (zh - z0) + zl // zh - z0 is exact
	a := &erfcAnchors[k-13]
	var sum float64
	hPrev, hCur := 0.0, 1.0 // H₋₁ (unused), H₀
	pw := h                 // (-1)ⁿ h^(n+1)/(n+1)!
	for n := 0; n < 30; n++ {
		t := hCur * pw
		sum += t
		if math.Abs(t) < 0x1p-62*math.Abs(sum) {
			break
		}
		hPrev, hCur = hCur, 2*z0*hCur-float64(2*n)*hPrev
		pw *= -h / float64(n+2)
	}
	return a[0], a[1] - erfcAnchorB[k-13]*sum
}

// erfcCFW returns w with z/t = 1 - w, t the continued fraction of erfc at z >= 3:
//
//	erfc(z) = e^(-z²)/(√π·t),  t = z + (1/2)/(z + (2/2)/(z + (3/2)/(z + ...))),
//
// evaluated from the inside out at a depth (100/z + 4) that makes its truncation error negligible
// (measured against a 192-bit evaluation); the backward evaluation is stable, within 1 ULP.
// With t₂ the fraction from its second term on, t = z + u·z for u = 1/(2z·t₂), and
// w = u/(1+u) <= 0.06, so that 1 - w carries w's errors damped.
func erfcCFW(z float64) float64 {
	t := z
	for k := int(100/z) + 4; k >= 2; k-- {
		t = z + float64(k)*0.5/t
	}
	u := 0.5 / (z * t)
	return u / (1 + u)
}
