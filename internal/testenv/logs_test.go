package testenv_test

import (
	"encoding/hex"
	"strconv"
	"testing"

	"github.com/cspforge/partnercenter-operator/internal/testenv"
)

func TestContainsSecret(t *testing.T) {
	const secret = "Tr0ub4dor&3-horse" // 17 bytes: a hex dump splits it over two lines
	protobuf := append([]byte("k8s\x00\n\x0c\n\x02v1\x12\x06Secret\x12\x08password"), secret...)
	for _, tc := range []struct {
		reason string
		log    string
		want   bool
	}{
		{"as text", `msg="Response Body" body="{\"password\":\"` + secret + `\"}"`, true},
		{"base64 in a Secret's JSON data", `body="{\"data\":{\"password\":\"VHIwdWI0ZG9yJjMtaG9yc2U=\"}}"`, true},
		{"in client-go's hex dump of a protobuf body", `msg="Request Body" body=` + strconv.Quote(hex.Dump(protobuf)), true},
		{"absent", `msg="Request Body" body=` + strconv.Quote(hex.Dump([]byte("k8s\x00nothing to see here"))), false},
	} {
		if got := testenv.ContainsSecret(tc.log, secret); got != tc.want {
			t.Errorf("%s: ContainsSecret = %v, want %v", tc.reason, got, tc.want)
		}
	}
}
