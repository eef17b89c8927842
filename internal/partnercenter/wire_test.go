package partnercenter

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

// decodeStrict decodes raw into v, failing on any key the model does not know
// (matching is case-insensitive, as on the server).
func decodeStrict(t *testing.T, raw []byte, v any) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("decode into %T: %v", v, err)
	}
}

// TestWireResponsesDecode decodes every documented response sample into its model and checks that
// re-encoding keeps every documented key with its exact casing, plus the per-resource enum values.
func TestWireResponsesDecode(t *testing.T) {
	tests := []struct {
		fixture string
		into    func() any
		check   func(t *testing.T, v any)
	}{
		{"customer_create_response.json", func() any { return &wire.Customer{} }, func(t *testing.T, v any) {
			c := v.(*wire.Customer)
			if c.RelationshipToPartner != wire.RelationshipReseller || c.ID != c.CompanyProfile.TenantID || c.BillingProfile.Attributes.Etag != "5920358838484612121" {
				t.Errorf("customer fields: %+v", c)
			}
			if c.UserCredentials.UserName != "admin" || c.UserCredentials.Password != "=;;n.=s9Z" {
				t.Errorf("user credentials not decoded")
			}
		}},
		{"customers_list.json", func() any { return &wire.Collection[wire.Customer]{} }, func(t *testing.T, v any) {
			c := v.(*wire.Collection[wire.Customer])
			if c.ContinuationToken == "" || len(c.Items) != 1 || c.Links["next"].Headers[0].Key != wire.HeaderContinuationToken {
				t.Errorf("collection: %+v", c)
			}
		}},
		{"billing_profile.json", func() any { return &wire.BillingProfile{} }, func(t *testing.T, v any) {
			if v.(*wire.BillingProfile).Attributes.Etag != "-4242348048554929329" {
				t.Errorf("etag not decoded")
			}
		}},
		{"address_validation_response.json", func() any { return &wire.AddressValidationResponse{} }, func(t *testing.T, v any) {
			r := v.(*wire.AddressValidationResponse)
			if r.Status != wire.AddressStatusStreetPartial || r.Passed() || r.SuggestedAddresses[0].PostalCode != "98052-8300" {
				t.Errorf("address validation: %+v", r)
			}
		}},
		{"validation_status.json", func() any { return &wire.ValidationStatus{} }, func(t *testing.T, v any) {
			s := v.(*wire.ValidationStatus)
			if s.Status != wire.AccountStatusAllowed || s.Type != wire.ValidationTypeAccount {
				t.Errorf("validation status: %+v", s)
			}
			if _, err := wire.ParseTime(s.LastUpdateDateTime); err != nil {
				t.Errorf("zoneless time: %v", err)
			}
		}},
		{"qualifications_get.json", func() any { return &[]wire.Qualification{} }, func(t *testing.T, v any) {
			q := *v.(*[]wire.Qualification)
			if q[0].VettingStatus != wire.VettingDenied || q[0].CreatedDate() == "" || q[1].Qualification != wire.QualificationStateOwnedEntity {
				t.Errorf("qualifications: %+v", q)
			}
		}},
		{"qualification_post_response.json", func() any { return &wire.Qualification{} }, func(t *testing.T, v any) {
			q := v.(*wire.Qualification)
			if q.VettingStatus != wire.VettingInReview || q.CreatedDate() != "2020-12-04T20:54:24Z" {
				t.Errorf("POST spelling vettingCreateDate not tolerated: %+v", q)
			}
		}},
		{"agreement_metadata.json", func() any { return &wire.Collection[wire.AgreementMetadata]{} }, func(t *testing.T, v any) {
			m := v.(*wire.Collection[wire.AgreementMetadata])
			if m.Items[0].TemplateID != wire.MCATemplateID || m.Items[0].AgreementType != wire.AgreementTypeMCA {
				t.Errorf("metadata: %+v", m)
			}
		}},
		{"agreement_create_response.json", func() any { return &wire.Agreement{} }, func(t *testing.T, v any) {
			if v.(*wire.Agreement).UserID == "" {
				t.Errorf("userId not decoded")
			}
		}},
		{"agreements_list.json", func() any { return &wire.Collection[wire.Agreement]{} }, func(t *testing.T, v any) {
			if v.(*wire.Collection[wire.Agreement]).Items[0].PrimaryContact.Email == "" {
				t.Errorf("contact not decoded")
			}
		}},
		{"direct_signed_status.json", func() any { return &wire.DirectSignedStatus{} }, func(t *testing.T, v any) {
			if !v.(*wire.DirectSignedStatus).IsSigned {
				t.Errorf("isSigned not decoded")
			}
		}},
		{"relationships.json", func() any { return &wire.Collection[wire.PartnerRelationship]{} }, func(t *testing.T, v any) {
			r := v.(*wire.Collection[wire.PartnerRelationship]).Items[0]
			if r.RelationshipType != wire.RelationshipTypeIndirectCSPOf || r.State != wire.RelationshipStateActive || r.MpnID != "4847383" {
				t.Errorf("relationship: %+v", r)
			}
		}},
		{"relationship_request.json", func() any { return &wire.RelationshipRequest{} }, func(t *testing.T, v any) {
			if v.(*wire.RelationshipRequest).URL == "" {
				t.Errorf("url not decoded")
			}
		}},
		{"reseller_agreement_status.json", func() any { return &wire.ResellerAgreementStatus{} }, func(t *testing.T, v any) {
			if !v.(*wire.ResellerAgreementStatus).IsAgreementSigned {
				t.Errorf("isAgreementSigned not decoded")
			}
		}},
		{"order_response.json", func() any { return &wire.Order{} }, func(t *testing.T, v any) {
			o := v.(*wire.Order)
			if o.Status != wire.OrderStatusPending || o.LineItems[0].SubscriptionID == "" || o.BillingCycle != wire.BillingCycleMonthly {
				t.Errorf("order: %+v", o)
			}
		}},
		{"subscription.json", func() any { return &wire.Subscription{} }, func(t *testing.T, v any) {
			s := v.(*wire.Subscription)
			if s.Status != wire.SubscriptionStatusActive || s.Attributes.Etag == "" || s.ScheduledNextTermInstructions.Product.SkuID != "0001" {
				t.Errorf("subscription: %+v", s)
			}
		}},
		{"support_contact.json", func() any { return &wire.SupportContact{} }, func(t *testing.T, v any) {
			if v.(*wire.SupportContact).SupportMpnID != "4391507" {
				t.Errorf("support contact not decoded")
			}
		}},
		{"audit_records.json", func() any { return &wire.Collection[wire.AuditRecord]{} }, checkAuditRecordsSample},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			raw := readFixture(t, tt.fixture)
			v := tt.into()
			decodeStrict(t, raw, v)
			tt.check(t, v)
			again, err := json.Marshal(v)
			if err != nil {
				t.Fatal(err)
			}
			if lost := missing(keyPaths(t, raw), keyPaths(t, again)); len(lost) > 0 {
				t.Errorf("documented keys lost or re-cased on re-encoding: %v", lost)
			}
		})
	}
}

// TestWireRequestsCarryDocumentedNames drives the client with the documented request samples
// (PascalCase where the docs use it) and checks the bodies it sends: every documented field,
// in camelCase, at the documented path and method.
func TestWireRequestsCarryDocumentedNames(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		fixture    string
		reply      reply
		call       func(c *Client, raw []byte) error
		wantMethod string
		wantPath   string
	}{
		{"customer_create_request.json", reply{status: 201, body: "{}"}, func(c *Client, raw []byte) error {
			var req wire.CustomerCreateRequest
			decodeStrict(t, raw, &req)
			_, err := c.CreateCustomer(ctx, "rid", req)
			return err
		}, http.MethodPost, "/v1/customers"},
		{"address_validation_request.json", reply{status: 200, body: "{}"}, func(c *Client, raw []byte) error {
			var a wire.Address
			decodeStrict(t, raw, &a)
			_, err := c.ValidateAddress(ctx, a)
			return err
		}, http.MethodPost, "/v1/validations/address"},
		{"billing_profile.json", reply{status: 200, body: "{}"}, func(c *Client, raw []byte) error {
			var p wire.BillingProfile
			decodeStrict(t, raw, &p)
			_, err := c.UpdateBillingProfile(ctx, "rid", "cust-1", p)
			return err
		}, http.MethodPut, "/v1/customers/cust-1/profiles/billing"},
		{"qualification_post_request.json", reply{status: 201, body: "{}"}, func(c *Client, raw []byte) error {
			var q wire.QualificationRequest
			decodeStrict(t, raw, &q)
			_, err := c.CreateQualification(ctx, "rid", "cust-1", q)
			return err
		}, http.MethodPost, "/v1/customers/cust-1/qualifications"},
		{"agreement_create_request.json", reply{status: 201, body: "{}"}, func(c *Client, raw []byte) error {
			var a wire.Agreement
			decodeStrict(t, raw, &a)
			_, err := c.CreateAgreement(ctx, "rid", "cust-1", a)
			return err
		}, http.MethodPost, "/v1/customers/cust-1/agreements"},
		{"order_create_request.json", reply{status: 201, body: "{}"}, func(c *Client, raw []byte) error {
			var o wire.Order
			decodeStrict(t, raw, &o)
			_, err := c.CreateOrder(ctx, "rid", "cust-1", o)
			return err
		}, http.MethodPost, "/v1/customers/cust-1/orders"},
		{"subscription.json", reply{status: 200, body: "{}"}, func(c *Client, raw []byte) error {
			var s wire.Subscription
			decodeStrict(t, raw, &s)
			_, err := c.UpdateSubscription(ctx, "rid", "cust-1", s)
			return err
		}, http.MethodPatch, "/v1/customers/cust-1/subscriptions/a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d"},
		{"support_contact.json", reply{status: 200, body: "{}"}, func(c *Client, raw []byte) error {
			var s wire.SupportContact
			decodeStrict(t, raw, &s)
			_, err := c.UpdateSupportContact(ctx, "rid", "cust-1", "sub-1", s)
			return err
		}, http.MethodPut, "/v1/customers/cust-1/subscriptions/sub-1/supportcontact"},
		{"cost_management_policy_request.json", reply{status: 200, body: "{}"}, func(c *Client, raw []byte) error {
			var p wire.CostManagementPolicy
			decodeStrict(t, raw, &p)
			_, err := c.SetCostManagementPolicy(ctx, "rid", "acct:1", "cust-1", p.Properties.ViewCharges)
			return err
		}, http.MethodPut, "/providers/Microsoft.Billing/billingAccounts/acct:1/customers/cust-1/policies/default"},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			srv := newFakeServer(t, tt.reply)
			c := newTestClient(t, srv.URL)
			raw := readFixture(t, tt.fixture)
			if err := tt.call(c, raw); err != nil {
				t.Fatalf("call: %v", err)
			}
			got := srv.last(t)
			if got.Method != tt.wantMethod || got.Path != tt.wantPath {
				t.Errorf("sent %s %s, want %s %s", got.Method, got.Path, tt.wantMethod, tt.wantPath)
			}
			sent := keyPaths(t, got.Body)
			var want []string
			for _, p := range keyPaths(t, raw) {
				want = append(want, lowerCamelPath(p))
			}
			if lost := missing(want, sent); len(lost) > 0 {
				t.Errorf("documented fields missing from the request body: %v\nsent: %s", lost, got.Body)
			}
			for _, p := range sent {
				if lowerCamelPath(p) != p {
					t.Errorf("request key %q is not camelCase", p)
				}
			}
		})
	}
}
