//! The case page's lists (documents, timeline, team, requests, items, opinions), each one
//! column list that becomes a JSON array in either backend's dialect.

use super::Backend;

/// A list column: `(key, SQL expression)` pairs over `from` (which may refer to the case as `c`),
/// in `order`.
pub(super) struct List {
    pub(super) columns: &'static [(&'static str, &'static str)],
    pub(super) from: &'static str,
    pub(super) order: &'static str,
}

pub(super) const DOCUMENTS: List = List {
    columns: &[
        ("id", "d.id"),
        ("name", "d.name"),
        ("media_type", "d.media_type"),
        ("size_bytes", "d.size_bytes"),
        ("uploaded_by", "u.name"),
        ("created_at", "d.created_at"),
    ],
    from: "documents d JOIN users u ON u.id = d.uploaded_by WHERE d.case_id = c.id",
    order: "d.created_at, d.id",
};

pub(super) const TIMELINE: List = List {
    columns: &[
        ("at", "t.at"),
        ("actor_name", "u.name"),
        ("actor_role", "t.actor_role"),
        ("label", "t.label"),
        ("detail", "t.detail"),
        ("detail_key", "t.detail_key"),
    ],
    from: "case_timeline t LEFT JOIN users u ON u.id = t.actor_id WHERE t.case_id = c.id",
    order: "t.id",
};

pub(super) const TEAM: List = List {
    columns: &[
        ("is_coordinator", "a.is_coordinator"),
        ("id", "u.id"),
        ("name", "u.name"),
        ("title", "p.title"),
        ("specialties", "p.specialties"),
        ("contact_email", "p.contact_email"),
        ("contact_phone", "p.contact_phone"),
        (
            "opinion_in",
            "(SELECT COUNT(*) FROM opinions o WHERE o.case_id = a.case_id AND o.specialist_id = a.clinician_id \
             AND o.submitted_at IS NOT NULL)",
        ),
    ],
    from: "case_assignments a JOIN users u ON u.id = a.clinician_id JOIN clinician_profiles p ON p.user_id = u.id \
           WHERE a.case_id = c.id AND a.active = 1",
    order: "a.is_coordinator DESC, u.name",
};

pub(super) const REQUESTS: List = List {
    columns: &[
        ("id", "r.id"),
        ("requested_by", "u.name"),
        ("note", "r.note"),
        ("created_at", "r.created_at"),
        ("fulfilled_at", "r.fulfilled_at"),
    ],
    from: "document_requests r JOIN users u ON u.id = r.requested_by WHERE r.case_id = c.id",
    order: "r.created_at DESC, r.id",
};

pub(super) const ITEMS: List = List {
    columns: &[
        ("id", "i.id"),
        ("request_id", "i.request_id"),
        ("label", "i.label"),
        ("document_id", "i.document_id"),
        ("provided_at", "i.provided_at"),
    ],
    from: "document_request_items i JOIN document_requests r ON r.id = i.request_id WHERE r.case_id = c.id",
    order: "i.position",
};

pub(super) const OPINIONS: List = List {
    columns: &[
        ("specialist_id", "o.specialist_id"),
        ("name", "u.name"),
        ("title", "p.title"),
        ("specialties", "p.specialties"),
        ("assessment", "o.assessment"),
        ("recommendation", "o.recommendation"),
        ("diagnosis", "o.diagnosis"),
        ("treatment", "o.treatment"),
        ("updated_at", "o.updated_at"),
        ("submitted_at", "o.submitted_at"),
    ],
    from: "opinions o JOIN users u ON u.id = o.specialist_id JOIN clinician_profiles p ON p.user_id = u.id \
           WHERE o.case_id = c.id",
    order: "o.submitted_at IS NULL, o.submitted_at, u.name",
};

/// The list as a JSON array of objects, in order, as text (`[]` when empty).
pub(super) fn json_list(backend: Backend, list: &List) -> String {
    let pairs: Vec<String> = list
        .columns
        .iter()
        .map(|(key, expr)| format!("'{key}', {expr}"))
        .collect();
    let pairs = pairs.join(", ");
    let (from, order) = (list.from, list.order);
    match backend {
        // The inner query fixes the order; json() keeps each object JSON rather than a string.
        Backend::Sqlite => format!(
            "(SELECT COALESCE(json_group_array(json(x)), '[]') FROM (SELECT json_object({pairs}) AS x FROM {from} ORDER BY {order}))"
        ),
        Backend::Postgres => format!(
            "(SELECT COALESCE(json_agg(json_build_object({pairs}) ORDER BY {order}), '[]'::json)::text FROM {from})"
        ),
    }
}
