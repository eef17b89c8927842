package pcsim

import (
	"net/http"
	"slices"

	pc "github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

// zonelessLayout is how lastUpdateDateTime is written: UTC without a zone suffix.
const zonelessLayout = "2006-01-02T15:04:05"

func (s *Simulator) getValidationStatus(c *call) reply {
	st, rep, ok := s.visibleCustomer(c)
	if !ok {
		return rep
	}
	if c.r.URL.Query().Get("type") != pc.ValidationTypeAccount {
		return invalidInput("type must be 'account'.")
	}
	if st.validation == "" {
		return newError(http.StatusNotFound, 600074, pc.ErrorNameAccountStatusNotFound,
			"Account Status for the customer, "+st.customer.ID+" was not found.")
	}
	return jsonReply(http.StatusOK, pc.ValidationStatus{
		Type: pc.ValidationTypeAccount, Status: st.validation,
		LastUpdateDateTime: st.validationUpdated.UTC().Format(zonelessLayout),
	})
}

func (s *Simulator) listQualifications(c *call) reply {
	st, rep, ok := s.visibleCustomer(c)
	if !ok {
		return rep
	}
	return jsonReply(http.StatusOK, append([]pc.Qualification{}, st.qualifications...))
}

// createQualification records a qualification request InReview (StateOwnedEntity carries no
// vetting status). The POST answer spells vettingCreateDate, the GET vettingCreatedDate.
func (s *Simulator) createQualification(c *call) reply {
	st, req, rep, ok := customerAndBody[pc.QualificationRequest](s, c)
	if !ok {
		return rep
	}
	if rep, ok := checkQualificationRequest(req); !ok {
		return rep
	}
	q := pc.Qualification{Qualification: req.Qualification}
	if req.Qualification != pc.QualificationStateOwnedEntity {
		q.VettingStatus, q.VettingCreatedDate = pc.VettingInReview, pc.FormatTime(c.now)
	}
	st.qualifications = append(st.qualifications, q)
	q.VettingCreateDate, q.VettingCreatedDate = q.VettingCreatedDate, ""
	return jsonReply(http.StatusCreated, q)
}

// checkQualificationRequest requires a known qualification, an education segment for
// Education and a validation code for GovernmentCommunityCloud.
func checkQualificationRequest(req pc.QualificationRequest) (reply, bool) {
	switch req.Qualification {
	case pc.QualificationEducation:
		if req.EducationSegment != pc.EducationSegmentK12 && req.EducationSegment != pc.EducationSegmentHigherEducation {
			return invalidInput("educationSegment must be K12 or HigherEducation."), false
		}
	case pc.QualificationGovernmentCommunityCloud:
		if req.ValidationCode == "" {
			return legacyError(http.StatusBadRequest, pc.CodeMissingParameter, "validationCode is required."), false
		}
	case pc.QualificationStateOwnedEntity, pc.QualificationNonprofit:
	default:
		return invalidInput("Unknown qualification " + req.Qualification + "."), false
	}
	return reply{}, true
}

// agreementTypeOf is the agreementType query value; omitted means the Microsoft Cloud
// Agreement (the documented backward-compatibility trap).
func agreementTypeOf(c *call) string {
	if t := c.r.URL.Query().Get("agreementType"); t != "" {
		return t
	}
	return pc.AgreementTypeCloud
}

// agreementTypeMatches reports whether an item of type t is listed for the query value q.
func agreementTypeMatches(q, t string) bool { return q == pc.AgreementTypeAll || q == t }

func (s *Simulator) getAgreementMetadata(c *call) reply {
	all := []pc.AgreementMetadata{
		{TemplateID: pc.MCATemplateID, AgreementType: pc.AgreementTypeMCA, AgreementLink: pc.MCAAgreementLink},
		{TemplateID: pc.CloudAgreementTemplateID, AgreementType: pc.AgreementTypeCloud, AgreementLink: "https://docs.microsoft.com/partner-center/agreements"},
	}
	q := agreementTypeOf(c)
	return collection(slices.DeleteFunc(all, func(m pc.AgreementMetadata) bool { return !agreementTypeMatches(q, m.AgreementType) }))
}

func (s *Simulator) listAgreements(c *call) reply {
	st, rep, ok := s.visibleCustomer(c)
	if !ok {
		return rep
	}
	q := agreementTypeOf(c)
	var items []pc.Agreement
	for _, a := range st.agreements {
		if agreementTypeMatches(q, a.Type) {
			items = append(items, a)
		}
	}
	return collection(items)
}

// createAgreement records a partner attestation. With an attestationId it is the 2026 flow
// (createAttestedAgreement); without one it is the legacy attestation, refused once retired:
// MCA template and type only, a dateAgreed not in the future (Choice: 400), 600061 for the
// contact of an agreement that still counts (Choice: HTTP 400).
func (s *Simulator) createAgreement(c *call) reply {
	st, a, rep, ok := customerAndBody[pc.Agreement](s, c)
	if !ok {
		return rep
	}
	if a.AttestationID != "" {
		return s.createAttestedAgreement(c, st, a)
	}
	if !c.now.Before(pc.LegacyAttestationRetiredAt) {
		return legacyAttestationRetired()
	}
	if rep, ok := checkAgreement(a, c); !ok {
		return rep
	}
	if st.countingContact(a.PrimaryContact) {
		return duplicateAgreement()
	}
	return jsonReply(http.StatusCreated, s.recordAgreement(c, st, a))
}

// recordAgreement stores a created agreement as Partner Center echoes it and
// schedules the M5 notice unless the customer already signed directly.
func (s *Simulator) recordAgreement(c *call, st *customerState, a pc.Agreement) pc.Agreement {
	a.UserID, a.AgreementLink = c.claims.OID, pc.MCAAgreementLink
	a.Attributes = pc.Attributes{ObjectType: pc.ObjectTypeAgreement}
	if !st.directSigned {
		s.notices = append(s.notices, Notice{
			CustomerID: st.customer.ID, To: a.PrimaryContact.Email,
			Subject: "Your partner confirmed your acceptance of the Microsoft Customer Agreement",
			SentAt:  c.now.Add(noticeDelay),
		})
	}
	st.agreements = append(st.agreements, a)
	return a
}

// checkAgreement validates an attestation body.
func checkAgreement(a pc.Agreement, c *call) (reply, bool) {
	switch {
	case a.TemplateID == pc.CloudAgreementTemplateID:
		return invalidInput("Microsoft Cloud Agreement Template ID '" + pc.CloudAgreementTemplateID + "' is no longer supported."), false
	case a.TemplateID != pc.MCATemplateID || a.Type != pc.AgreementTypeMCA:
		return invalidInput("templateId must be " + pc.MCATemplateID + " and type " + pc.AgreementTypeMCA + "."), false
	case a.PrimaryContact.FirstName == "" || a.PrimaryContact.LastName == "" || a.PrimaryContact.Email == "":
		return legacyError(http.StatusBadRequest, pc.CodeMissingParameter, "primaryContact firstName, lastName and email are required."), false
	}
	agreed, err := pc.ParseTime(a.DateAgreed)
	if err != nil {
		return invalidInput("dateAgreed is not a date-time."), false
	}
	if agreed.After(c.now) {
		return invalidInput("dateAgreed cannot be in the future."), false
	}
	return reply{}, true
}

func (s *Simulator) getDirectSignedStatus(c *call) reply {
	st, rep, ok := s.visibleCustomer(c)
	if !ok {
		return rep
	}
	return jsonReply(http.StatusOK, pc.DirectSignedStatus{IsSigned: st.directSigned})
}

// collection wraps items in the list envelope (never a null items array).
func collection[T any](items []T) reply {
	if items == nil {
		items = []T{}
	}
	return jsonReply(http.StatusOK, pc.Collection[T]{TotalCount: len(items), Items: items, Attributes: pc.Attributes{ObjectType: pc.ObjectTypeCollection}})
}
