package main

import "testing"

// TestScramRFC7677 replays the SCRAM-SHA-256 exchange from RFC 7677 section 3.
func TestScramRFC7677(t *testing.T) {
	const (
		serverFirst = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"
		wantFinal   = "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="
		serverFinal = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="
	)
	sc := &scramClient{user: "user", password: "pencil", nonce: "rOprNGfwEbeRWgbNEkqO"}
	if got := sc.clientFirst(); got != "n,,n=user,r=rOprNGfwEbeRWgbNEkqO" {
		t.Fatalf("client-first = %q", got)
	}
	final, err := sc.clientFinal(serverFirst)
	if err != nil || final != wantFinal {
		t.Fatalf("client-final = %q, %v; want %q", final, err, wantFinal)
	}
	if err := sc.verifyServerFinal(serverFinal); err != nil {
		t.Fatalf("server-final rejected: %v", err)
	}
	if err := sc.verifyServerFinal("v=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="); err == nil {
		t.Fatal("forged server signature accepted")
	}
	if err := sc.verifyServerFinal("e=invalid-proof"); err == nil {
		t.Fatal("server error accepted")
	}
}

func TestScramRejectsForeignNonce(t *testing.T) {
	sc := &scramClient{password: "pencil", nonce: "abc"}
	sc.clientFirst()
	for _, sf := range []string{"r=xyz123,s=AAAA,i=4096", "r=abc,s=AAAA,i=4096", "r=abcd,s=AAAA,i=0"} {
		if _, err := sc.clientFinal(sf); err == nil {
			t.Errorf("accepted server-first %q", sf)
		}
	}
}

func TestScramEscapesUser(t *testing.T) {
	sc := &scramClient{user: "a=b,c", nonce: "n"}
	if got := sc.clientFirst(); got != "n,,n=a=3Db=2Cc,r=n" {
		t.Fatalf("client-first = %q", got)
	}
}

// md5("postgrespostgres") is the well-known stored hash of postgres/postgres; the outer hash was computed with md5sum.
func TestPgMD5(t *testing.T) {
	if got := pgMD5("postgres", "postgres", []byte{1, 2, 3, 4}); got != "md568be9ed08db75f318087ab337aaea044" {
		t.Fatalf("pgMD5 = %q", got)
	}
}
