#pragma once
// Reading exported SVG back with a real XML parser (libxml2): the texts, and the paths with
// their attributes, for the figure export tests.

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <map>
#include <string>
#include <vector>

namespace vilab::test {

struct SvgElement {
  std::string name, content;
  std::map<std::string, std::string> attributes;
};

// Every element of the document in order; `ok` false when libxml2 rejects the text.
inline std::vector<SvgElement> parseSvg(const std::string& text, bool& ok) {
  std::vector<SvgElement> out;
  xmlDocPtr doc = xmlReadMemory(text.data(), static_cast<int>(text.size()), "figure.svg", "UTF-8",
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  ok = doc != nullptr && xmlDocGetRootElement(doc) != nullptr &&
       std::string(reinterpret_cast<const char*>(xmlDocGetRootElement(doc)->name)) == "svg";
  if (!doc) return out;
  std::vector<xmlNodePtr> stack{xmlDocGetRootElement(doc)};
  while (!stack.empty()) {
    xmlNodePtr node = stack.back();
    stack.pop_back();
    if (!node || node->type != XML_ELEMENT_NODE) continue;
    SvgElement e;
    e.name = reinterpret_cast<const char*>(node->name);
    for (xmlAttrPtr a = node->properties; a; a = a->next) {
      xmlChar* v = xmlNodeGetContent(reinterpret_cast<xmlNodePtr>(a));
      e.attributes[reinterpret_cast<const char*>(a->name)] = v ? reinterpret_cast<const char*>(v) : "";
      xmlFree(v);
    }
    xmlChar* content = xmlNodeGetContent(node);
    if (content && e.name == "text") e.content = reinterpret_cast<const char*>(content);
    xmlFree(content);
    out.push_back(std::move(e));
    std::vector<xmlNodePtr> children;
    for (xmlNodePtr c = node->children; c; c = c->next) children.push_back(c);
    stack.insert(stack.end(), children.rbegin(), children.rend());
  }
  xmlFreeDoc(doc);
  return out;
}

}  // namespace vilab::test
