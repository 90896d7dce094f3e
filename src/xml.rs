//! XML from outside (agency items, photos' XMP) read into a small tree, safely: no DTD (so no
//! entity expansion and no external entities: a document type declaration is refused before
//! anything in it is looked at), only XML's five predefined entities and character references,
//! a limit on nesting (the tree is walked recursively), and UTF-8 only. `quick-xml` does the
//! reading; names come with their namespace URIs resolved.

use std::borrow::Cow;

use quick_xml::events::Event;
use quick_xml::name::ResolveResult;

/// An element: its namespace URI (empty when none), local name, attributes and children.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Element {
    pub namespace: String,
    pub name: String,
    pub attributes: Vec<Attribute>,
    pub children: Vec<Node>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute {
    pub namespace: String,
    pub name: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    Element(Element),
    Text(String),
}

/// Why a document was not read, as the sentence that follows "the file".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XmlError(pub String);

/// How deep elements may nest. NewsML-G2 items and NITF bodies are a dozen levels deep; a
/// hostile file with thousands of levels is refused before it is walked.
pub const MAX_DEPTH: usize = 128;

pub const NS_XML: &str = "http://www.w3.org/XML/1998/namespace";

/// Reads `text` into its root element.
pub fn parse(text: &str) -> Result<Element, XmlError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = quick_xml::NsReader::from_str(text);
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let at = |reader: &quick_xml::NsReader<&[u8]>| {
        let position = usize::try_from(reader.buffer_position()).unwrap_or(0).min(text.len());
        text.as_bytes()[..position].iter().filter(|byte| **byte == b'\n').count() + 1
    };
    loop {
        let (namespace, event) = match reader.read_resolved_event() {
            Ok((ResolveResult::Bound(namespace), event)) => (namespace.as_ref().to_string(), event),
            Ok((_, event)) => (String::new(), event),
            Err(error) => {
                let error = error.to_string();
                return Err(XmlError(format!("is not well-formed XML (line {}: {error}): check that the whole item arrived", at(&reader))));
            }
        };
        match event {
            Event::DocType(_) => {
                return Err(XmlError(
                    "declares a document type (DOCTYPE), which Copydesk does not read: entities in it can expand a few bytes \
                     into gigabytes or read files from this computer; ask the sender for the item without a DOCTYPE"
                        .into(),
                ));
            }
            Event::Start(start) | Event::Empty(start) if root.is_some() && stack.is_empty() => {
                let _ = start;
                return Err(XmlError("has content after its root element: it is not one XML document".into()));
            }
            Event::Start(ref start) | Event::Empty(ref start) => {
                let mut element =
                    Element { namespace, name: start.local_name().as_ref().to_string(), attributes: Vec::new(), children: Vec::new() };
                for attribute in start.attributes() {
                    let attribute =
                        attribute.map_err(|error| XmlError(format!("has a damaged attribute (line {}: {error})", at(&reader))))?;
                    let key = attribute.key.as_ref();
                    if key == "xmlns" || key.starts_with("xmlns:") {
                        continue;
                    }
                    let (attribute_namespace, local) = reader.resolver().resolve_attribute(attribute.key);
                    let attribute_namespace = match attribute_namespace {
                        ResolveResult::Bound(namespace) => namespace.as_ref().to_string(),
                        _ => String::new(),
                    };
                    let value = attribute
                        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .map_err(|error| XmlError(format!("has an attribute it cannot resolve (line {}: {error})", at(&reader))))?;
                    element.attributes.push(Attribute {
                        namespace: attribute_namespace,
                        name: local.as_ref().to_string(),
                        value: value.into_owned(),
                    });
                }
                if matches!(event, Event::Empty(_)) {
                    close(&mut stack, &mut root, element);
                } else {
                    stack.push(element);
                    if stack.len() > MAX_DEPTH {
                        return Err(XmlError(format!(
                            "nests elements more than {MAX_DEPTH} deep (line {}): no news item does; it is damaged or hostile",
                            at(&reader)
                        )));
                    }
                }
            }
            Event::End(_) => {
                let element = stack.pop().ok_or_else(|| XmlError(format!("closes an element it never opened (line {})", at(&reader))))?;
                close(&mut stack, &mut root, element);
            }
            Event::Text(text) => push_text(&mut stack, text.xml10_content()),
            Event::CData(data) => push_text(&mut stack, Cow::Owned(data.as_ref().to_string())),
            Event::GeneralRef(reference) => {
                let resolved = match reference.resolve_char_ref() {
                    Ok(Some(character)) => character.to_string(),
                    _ => match reference.as_ref() {
                        "lt" => "<".into(),
                        "gt" => ">".into(),
                        "amp" => "&".into(),
                        "apos" => "'".into(),
                        "quot" => "\"".into(),
                        name => {
                            return Err(XmlError(format!(
                                "refers to the entity &{name}; (line {}), which only a document type could define; \
                                 Copydesk reads no document types: ask the sender for plain text or a character reference",
                                at(&reader)
                            )));
                        }
                    },
                };
                push_text(&mut stack, Cow::Owned(resolved));
            }
            Event::Eof => break,
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
        }
    }
    if !stack.is_empty() {
        return Err(XmlError("ends before its elements are closed: the file is cut short; ask for it again".into()));
    }
    root.ok_or_else(|| XmlError("holds no XML element".into()))
}

fn close(stack: &mut [Element], root: &mut Option<Element>, element: Element) {
    match stack.last_mut() {
        Some(parent) => parent.children.push(Node::Element(element)),
        None => *root = Some(element),
    }
}

fn push_text(stack: &mut [Element], text: Cow<'_, str>) {
    let Some(parent) = stack.last_mut() else { return };
    if let Some(Node::Text(previous)) = parent.children.last_mut() {
        previous.push_str(&text);
    } else {
        parent.children.push(Node::Text(text.into_owned()));
    }
}

impl Element {
    pub fn is(&self, namespace: &str, name: &str) -> bool {
        self.name == name && self.namespace == namespace
    }

    /// The child elements.
    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|node| match node {
            Node::Element(element) => Some(element),
            Node::Text(_) => None,
        })
    }

    /// The child elements called `name` in `namespace`.
    pub fn all<'a>(&'a self, namespace: &'a str, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.elements().filter(move |element| element.is(namespace, name))
    }

    pub fn first(&self, namespace: &str, name: &str) -> Option<&Element> {
        self.elements().find(|element| element.is(namespace, name))
    }

    /// The value of the attribute `name` without a namespace.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes.iter().find(|attribute| attribute.namespace.is_empty() && attribute.name == name).map(|a| a.value.as_str())
    }

    pub fn attribute_in(&self, namespace: &str, name: &str) -> Option<&str> {
        self.attributes.iter().find(|attribute| attribute.namespace == namespace && attribute.name == name).map(|a| a.value.as_str())
    }

    /// All the text inside, with runs of white space made one space and the ends trimmed.
    pub fn text(&self) -> String {
        let mut text = String::new();
        self.collect_text(&mut text);
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    fn collect_text(&self, into: &mut String) {
        for node in &self.children {
            match node {
                Node::Text(text) => into.push_str(text),
                Node::Element(element) => {
                    into.push(' ');
                    element.collect_text(into);
                    into.push(' ');
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_namespaces_entities_and_text() {
        let root = parse(r#"<?xml version="1.0"?><a xmlns="urn:a" xmlns:b="urn:b" b:x="1 &amp; 2"><b:c>가&lt;나&#xAC00;</b:c><d/></a>"#)
            .expect("parses");
        assert!(root.is("urn:a", "a"));
        assert_eq!(root.attribute_in("urn:b", "x"), Some("1 & 2"));
        assert_eq!(root.first("urn:b", "c").map(Element::text).as_deref(), Some("가<나가"));
        assert!(root.first("urn:a", "d").is_some());
    }

    #[test]
    fn refuses_doctypes_unknown_entities_depth_and_damage() {
        assert!(parse("<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>").unwrap_err().0.contains("DOCTYPE"));
        assert!(parse("<a>&x;</a>").unwrap_err().0.contains("&x;"));
        let deep = format!("{}{}", "<a>".repeat(MAX_DEPTH + 1), "</a>".repeat(MAX_DEPTH + 1));
        assert!(parse(&deep).unwrap_err().0.contains("deep"));
        assert!(parse("<a><b></a>").is_err());
        assert!(parse("<a>").is_err());
        assert!(parse("").is_err());
        assert!(parse("<a/><b/>").is_err());
    }
}
