package main

import (
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// scramClient is the client side of SCRAM-SHA-256 (RFC 5802 / RFC 7677) without
// channel binding, the mechanism PostgreSQL uses for password_encryption=scram-sha-256.
type scramClient struct {
	user, password, nonce string
	clientFirstBare       string
	serverSignature       []byte
}

// newScramClient makes a fresh nonce; PostgreSQL ignores the SCRAM user name (it uses the startup one), so pass "".
func newScramClient(user, password string) (*scramClient, error) {
	b := make([]byte, 18)
	if _, err := rand.Read(b); err != nil {
		return nil, err
	}
	return &scramClient{user: user, password: password, nonce: base64.StdEncoding.EncodeToString(b)}, nil
}

// clientFirst is the client-first-message with the "n,," header (no channel binding).
func (s *scramClient) clientFirst() string {
	s.clientFirstBare = "n=" + scramEscape(s.user) + ",r=" + s.nonce
	return "n,," + s.clientFirstBare
}

// clientFinal answers the server-first-message with the proof of knowing the password.
func (s *scramClient) clientFinal(serverFirst string) (string, error) {
	attrs := scramAttrs(serverFirst)
	nonce, saltB64, iterS := attrs["r"], attrs["s"], attrs["i"]
	if !strings.HasPrefix(nonce, s.nonce) || len(nonce) == len(s.nonce) {
		return "", errors.New("scram: server nonce does not extend ours")
	}
	salt, err := base64.StdEncoding.DecodeString(saltB64)
	if err != nil {
		return "", fmt.Errorf("scram: bad salt: %w", err)
	}
	iter, err := strconv.Atoi(iterS)
	if err != nil || iter < 1 {
		return "", fmt.Errorf("scram: bad iteration count %q", iterS)
	}
	// SASLprep is skipped: test passwords are ASCII, for which it is the identity.
	salted, err := pbkdf2.Key(sha256.New, s.password, salt, iter, sha256.Size)
	if err != nil {
		return "", err
	}
	clientKey := hmacSHA256(salted, "Client Key")
	storedKey := sha256.Sum256(clientKey)
	withoutProof := "c=" + base64.StdEncoding.EncodeToString([]byte("n,,")) + ",r=" + nonce
	authMessage := s.clientFirstBare + "," + serverFirst + "," + withoutProof
	proof := hmacSHA256(storedKey[:], authMessage)
	for i := range proof {
		proof[i] ^= clientKey[i]
	}
	s.serverSignature = hmacSHA256(hmacSHA256(salted, "Server Key"), authMessage)
	return withoutProof + ",p=" + base64.StdEncoding.EncodeToString(proof), nil
}

// verifyServerFinal checks the server's signature, so a server that merely says "OK" is not trusted blindly.
func (s *scramClient) verifyServerFinal(serverFinal string) error {
	attrs := scramAttrs(serverFinal)
	if e, ok := attrs["e"]; ok {
		return fmt.Errorf("scram: server error %q", e)
	}
	got, err := base64.StdEncoding.DecodeString(attrs["v"])
	if err != nil || !hmac.Equal(got, s.serverSignature) {
		return errors.New("scram: server signature mismatch")
	}
	return nil
}

func hmacSHA256(key []byte, msg string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(msg))
	return m.Sum(nil)
}

// scramAttrs splits "a=1,b=2" (values may contain '=', never ',').
func scramAttrs(msg string) map[string]string {
	out := map[string]string{}
	for _, kv := range strings.Split(msg, ",") {
		if k, v, ok := strings.Cut(kv, "="); ok && len(k) == 1 {
			out[k] = v
		}
	}
	return out
}

// scramEscape encodes ',' and '=' in the user name as RFC 5802 requires.
func scramEscape(s string) string {
	return strings.NewReplacer("=", "=3D", ",", "=2C").Replace(s)
}
