package partnercenter

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

// TestAttestationSamplesRoundTrip decodes the enhanced-flow samples strictly
// and checks that re-encoding keeps every key. The request's first five
// names are Microsoft's documented ones; the rest, and the response, are the
// choices of the wire package (docs/simulator.md).
func TestAttestationSamplesRoundTrip(t *testing.T) {
	tests := []struct {
		fixture string
		into    any
	}{
		{"enhanced_attestation_request.json", &wire.EnhancedAttestationRequest{}},
		{"enhanced_attestation_response.json", &wire.EnhancedAttestation{}},
		{"agreement_create_attested_request.json", &wire.Agreement{}},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			raw := readFixture(t, tt.fixture)
			decodeStrict(t, raw, tt.into)
			again, err := json.Marshal(tt.into)
			if err != nil {
				t.Fatal(err)
			}
			if lost := missing(keyPaths(t, raw), keyPaths(t, again)); len(lost) > 0 {
				t.Errorf("keys lost on re-encoding: %v", lost)
			}
		})
	}
	documented := []string{"country", "language", "companyName", "signatoryFirstName", "signatoryLastName"}
	if lost := missing(documented, keyPaths(t, readFixture(t, "enhanced_attestation_request.json"))); len(lost) > 0 {
		t.Errorf("the request sample lacks Microsoft's documented fields %v", lost)
	}
}

// TestDuplicateAgreementSampleIsTyped: Microsoft's 600061 sample of the
// enhanced-attestation page decodes into the typed duplicate error.
func TestDuplicateAgreementSampleIsTyped(t *testing.T) {
	e := DecodeError(http.StatusBadRequest, readFixture(t, "error_600061.json"))
	if !IsDuplicateAgreement(e) || e.ErrorName != wire.ErrorNamePartnerConfirmedAgreementAlreadyExists || e.Retryable {
		t.Fatalf("600061 sample decoded as %+v", e)
	}
}

// TestAttestationRequests checks the paths (with the API version setting),
// the bodies and the App-only token of the three enhanced-flow calls.
func TestAttestationRequests(t *testing.T) {
	ctx := context.Background()
	response := string(readFixture(t, "enhanced_attestation_response.json"))
	tests := []struct {
		name     string
		version  string
		fixture  string
		call     func(c *Client, raw []byte) error
		wantPath string
	}{
		{"create attestation", "", "enhanced_attestation_request.json", func(c *Client, raw []byte) error {
			var req wire.EnhancedAttestationRequest
			decodeStrict(t, raw, &req)
			a, err := c.CreateEnhancedAttestation(ctx, "rid", req)
			if err == nil && a.AcceptanceURL == "" {
				t.Error("no acceptance URL")
			}
			return err
		}, "/v1/attestations/enhanced"},
		{"create attestation, version setting", "v2", "enhanced_attestation_request.json", func(c *Client, raw []byte) error {
			var req wire.EnhancedAttestationRequest
			decodeStrict(t, raw, &req)
			_, err := c.CreateEnhancedAttestation(ctx, "rid", req)
			return err
		}, "/v2/attestations/enhanced"},
		{"read attestation", "", "", func(c *Client, _ []byte) error {
			_, err := c.GetEnhancedAttestation(ctx, "att-1")
			return err
		}, "/v1/attestations/enhanced/att-1"},
		{"create attested agreement", "v2", "agreement_create_attested_request.json", func(c *Client, raw []byte) error {
			var a wire.Agreement
			decodeStrict(t, raw, &a)
			_, err := c.CreateAttestedAgreement(ctx, "rid", "cust-1", a)
			return err
		}, "/v2/customers/cust-1/agreements"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newFakeServer(t, reply{status: http.StatusCreated, body: response})
			c := newTestClient(t, srv.URL, func(o *Options) { o.AttestationAPIVersion = tt.version })
			var raw []byte
			if tt.fixture != "" {
				raw = readFixture(t, tt.fixture)
			}
			if err := tt.call(c, raw); err != nil && tt.name != "read attestation" {
				t.Fatalf("call: %v", err)
			}
			got := srv.last(t)
			if got.Path != tt.wantPath {
				t.Errorf("path %s, want %s", got.Path, tt.wantPath)
			}
			if auth := got.Header.Get("Authorization"); auth != "Bearer "+testAppOnlyToken {
				t.Errorf("Authorization %q: the enhanced flow is App-only", auth)
			}
			if raw != nil {
				if lost := missing(keyPaths(t, raw), keyPaths(t, got.Body)); len(lost) > 0 {
					t.Errorf("fields missing from the request body: %v\nsent: %s", lost, got.Body)
				}
			}
		})
	}
	srv := newFakeServer(t, reply{status: http.StatusCreated, body: response})
	appUserOnly := newTestClient(t, srv.URL, func(o *Options) { o.AppOnly = nil })
	if _, err := appUserOnly.CreateEnhancedAttestation(ctx, "rid", wire.EnhancedAttestationRequest{}); !IsCredentialRequired(err) {
		t.Errorf("without an app-only credential: %v, want CredentialRequiredError (no fallback to App+User)", err)
	}
	if len(srv.requests()) != 0 {
		t.Error("an attestation call went out with an App+User token")
	}
}

// TestReadMCAState is the one decision "is the MCA accepted" (M6, M10, M12).
func TestReadMCAState(t *testing.T) {
	retired := wire.LegacyAttestationRetiredAt
	mca := func(date string) wire.Agreement {
		return wire.Agreement{Type: wire.AgreementTypeMCA, TemplateID: wire.MCATemplateID, DateAgreed: date}
	}
	tests := []struct {
		name           string
		agreements     []wire.Agreement
		signedDirectly bool
		now            time.Time
		accepted       bool
		outdated       bool
	}{
		{"nothing", nil, false, retired, false, false},
		{"direct acceptance", nil, true, retired, true, false},
		{"agreement after the cutoff", []wire.Agreement{mca("2024-02-01T00:00:00Z")}, false, retired, true, false},
		{"M12: only a pre-2023 agreement, past the retirement", []wire.Agreement{mca("2021-06-14T00:00:00Z")}, false, retired, false, true},
		{"M12: a pre-2023 agreement still counted before the retirement", []wire.Agreement{mca("2021-06-14T00:00:00Z")}, false, retired.Add(-time.Hour), true, false},
		{"M12: re-accepted after an old one", []wire.Agreement{mca("2021-06-14T00:00:00Z"), mca("2026-12-01T10:00:00Z")}, false, retired, true, false},
		{"M12: outdated agreement but signed directly", []wire.Agreement{mca("2021-06-14T00:00:00Z")}, true, retired, true, false},
		{"cloud agreement does not count", []wire.Agreement{{Type: wire.AgreementTypeCloud, TemplateID: wire.CloudAgreementTemplateID, DateAgreed: "2024-02-01T00:00:00Z"}}, false, retired, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := ReadMCAState(context.Background(), agreementsOf{tt.agreements, tt.signedDirectly}, "c", true, tt.now)
			if err != nil || v.Accepted() != tt.accepted || v.ReacceptanceRequired() != tt.outdated {
				t.Errorf("ReadMCAState = %+v, %v, want accepted %v outdated %v", v, err, tt.accepted, tt.outdated)
			}
		})
	}
}

// agreementsOf answers ReadMCAState with fixed agreements and direct signature.
type agreementsOf struct {
	listed         []wire.Agreement
	signedDirectly bool
}

func (a agreementsOf) ListAgreements(context.Context, string) ([]wire.Agreement, error) {
	return append([]wire.Agreement(nil), a.listed...), nil
}

func (a agreementsOf) GetDirectSignedStatus(context.Context, string) (*wire.DirectSignedStatus, error) {
	return &wire.DirectSignedStatus{IsSigned: a.signedDirectly}, nil
}
