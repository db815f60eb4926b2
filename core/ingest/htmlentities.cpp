#include "core/ingest/htmlentities.h"

#include <algorithm>
#include <array>

namespace rag {

namespace {

struct NamedEntity {
    std::string_view name;
    char32_t codePoint;
    bool legacy; // may appear without the trailing ';' (HTML5 "legacy" names)
};

// The HTML 4.01 named character references (which cover nearly all real use),
// &apos; and the upper-case legacy aliases, sorted by name for binary search.
// Generated from Python's html.entities (name2codepoint + html5 legacy names).
constexpr std::array<NamedEntity, 259> kEntities{{
    {"AElig", 0x00c6, true},
    {"AMP", 0x0026, true},
    {"Aacute", 0x00c1, true},
    {"Acirc", 0x00c2, true},
    {"Agrave", 0x00c0, true},
    {"Alpha", 0x0391, false},
    {"Aring", 0x00c5, true},
    {"Atilde", 0x00c3, true},
    {"Auml", 0x00c4, true},
    {"Beta", 0x0392, false},
    {"COPY", 0x00a9, true},
    {"Ccedil", 0x00c7, true},
    {"Chi", 0x03a7, false},
    {"Dagger", 0x2021, false},
    {"Delta", 0x0394, false},
    {"ETH", 0x00d0, true},
    {"Eacute", 0x00c9, true},
    {"Ecirc", 0x00ca, true},
    {"Egrave", 0x00c8, true},
    {"Epsilon", 0x0395, false},
    {"Eta", 0x0397, false},
    {"Euml", 0x00cb, true},
    {"GT", 0x003e, true},
    {"Gamma", 0x0393, false},
    {"Iacute", 0x00cd, true},
    {"Icirc", 0x00ce, true},
    {"Igrave", 0x00cc, true},
    {"Iota", 0x0399, false},
    {"Iuml", 0x00cf, true},
    {"Kappa", 0x039a, false},
    {"LT", 0x003c, true},
    {"Lambda", 0x039b, false},
    {"Mu", 0x039c, false},
    {"Ntilde", 0x00d1, true},
    {"Nu", 0x039d, false},
    {"OElig", 0x0152, false},
    {"Oacute", 0x00d3, true},
    {"Ocirc", 0x00d4, true},
    {"Ograve", 0x00d2, true},
    {"Omega", 0x03a9, false},
    {"Omicron", 0x039f, false},
    {"Oslash", 0x00d8, true},
    {"Otilde", 0x00d5, true},
    {"Ouml", 0x00d6, true},
    {"Phi", 0x03a6, false},
    {"Pi", 0x03a0, false},
    {"Prime", 0x2033, false},
    {"Psi", 0x03a8, false},
    {"QUOT", 0x0022, true},
    {"REG", 0x00ae, true},
    {"Rho", 0x03a1, false},
    {"Scaron", 0x0160, false},
    {"Sigma", 0x03a3, false},
    {"THORN", 0x00de, true},
    {"Tau", 0x03a4, false},
    {"Theta", 0x0398, false},
    {"Uacute", 0x00da, true},
    {"Ucirc", 0x00db, true},
    {"Ugrave", 0x00d9, true},
    {"Upsilon", 0x03a5, false},
    {"Uuml", 0x00dc, true},
    {"Xi", 0x039e, false},
    {"Yacute", 0x00dd, true},
    {"Yuml", 0x0178, false},
    {"Zeta", 0x0396, false},
    {"aacute", 0x00e1, true},
    {"acirc", 0x00e2, true},
    {"acute", 0x00b4, true},
    {"aelig", 0x00e6, true},
    {"agrave", 0x00e0, true},
    {"alefsym", 0x2135, false},
    {"alpha", 0x03b1, false},
    {"amp", 0x0026, true},
    {"and", 0x2227, false},
    {"ang", 0x2220, false},
    {"apos", 0x0027, false},
    {"aring", 0x00e5, true},
    {"asymp", 0x2248, false},
    {"atilde", 0x00e3, true},
    {"auml", 0x00e4, true},
    {"bdquo", 0x201e, false},
    {"beta", 0x03b2, false},
    {"brvbar", 0x00a6, true},
    {"bull", 0x2022, false},
    {"cap", 0x2229, false},
    {"ccedil", 0x00e7, true},
    {"cedil", 0x00b8, true},
    {"cent", 0x00a2, true},
    {"chi", 0x03c7, false},
    {"circ", 0x02c6, false},
    {"clubs", 0x2663, false},
    {"cong", 0x2245, false},
    {"copy", 0x00a9, true},
    {"crarr", 0x21b5, false},
    {"cup", 0x222a, false},
    {"curren", 0x00a4, true},
    {"dArr", 0x21d3, false},
    {"dagger", 0x2020, false},
    {"darr", 0x2193, false},
    {"deg", 0x00b0, true},
    {"delta", 0x03b4, false},
    {"diams", 0x2666, false},
    {"divide", 0x00f7, true},
    {"eacute", 0x00e9, true},
    {"ecirc", 0x00ea, true},
    {"egrave", 0x00e8, true},
    {"empty", 0x2205, false},
    {"emsp", 0x2003, false},
    {"ensp", 0x2002, false},
    {"epsilon", 0x03b5, false},
    {"equiv", 0x2261, false},
    {"eta", 0x03b7, false},
    {"eth", 0x00f0, true},
    {"euml", 0x00eb, true},
    {"euro", 0x20ac, false},
    {"exist", 0x2203, false},
    {"fnof", 0x0192, false},
    {"forall", 0x2200, false},
    {"frac12", 0x00bd, true},
    {"frac14", 0x00bc, true},
    {"frac34", 0x00be, true},
    {"frasl", 0x2044, false},
    {"gamma", 0x03b3, false},
    {"ge", 0x2265, false},
    {"gt", 0x003e, true},
    {"hArr", 0x21d4, false},
    {"harr", 0x2194, false},
    {"hearts", 0x2665, false},
    {"hellip", 0x2026, false},
    {"iacute", 0x00ed, true},
    {"icirc", 0x00ee, true},
    {"iexcl", 0x00a1, true},
    {"igrave", 0x00ec, true},
    {"image", 0x2111, false},
    {"infin", 0x221e, false},
    {"int", 0x222b, false},
    {"iota", 0x03b9, false},
    {"iquest", 0x00bf, true},
    {"isin", 0x2208, false},
    {"iuml", 0x00ef, true},
    {"kappa", 0x03ba, false},
    {"lArr", 0x21d0, false},
    {"lambda", 0x03bb, false},
    {"lang", 0x2329, false},
    {"laquo", 0x00ab, true},
    {"larr", 0x2190, false},
    {"lceil", 0x2308, false},
    {"ldquo", 0x201c, false},
    {"le", 0x2264, false},
    {"lfloor", 0x230a, false},
    {"lowast", 0x2217, false},
    {"loz", 0x25ca, false},
    {"lrm", 0x200e, false},
    {"lsaquo", 0x2039, false},
    {"lsquo", 0x2018, false},
    {"lt", 0x003c, true},
    {"macr", 0x00af, true},
    {"mdash", 0x2014, false},
    {"micro", 0x00b5, true},
    {"middot", 0x00b7, true},
    {"minus", 0x2212, false},
    {"mu", 0x03bc, false},
    {"nabla", 0x2207, false},
    {"nbsp", 0x00a0, true},
    {"ndash", 0x2013, false},
    {"ne", 0x2260, false},
    {"ni", 0x220b, false},
    {"not", 0x00ac, true},
    {"notin", 0x2209, false},
    {"nsub", 0x2284, false},
    {"ntilde", 0x00f1, true},
    {"nu", 0x03bd, false},
    {"oacute", 0x00f3, true},
    {"ocirc", 0x00f4, true},
    {"oelig", 0x0153, false},
    {"ograve", 0x00f2, true},
    {"oline", 0x203e, false},
    {"omega", 0x03c9, false},
    {"omicron", 0x03bf, false},
    {"oplus", 0x2295, false},
    {"or", 0x2228, false},
    {"ordf", 0x00aa, true},
    {"ordm", 0x00ba, true},
    {"oslash", 0x00f8, true},
    {"otilde", 0x00f5, true},
    {"otimes", 0x2297, false},
    {"ouml", 0x00f6, true},
    {"para", 0x00b6, true},
    {"part", 0x2202, false},
    {"permil", 0x2030, false},
    {"perp", 0x22a5, false},
    {"phi", 0x03c6, false},
    {"pi", 0x03c0, false},
    {"piv", 0x03d6, false},
    {"plusmn", 0x00b1, true},
    {"pound", 0x00a3, true},
    {"prime", 0x2032, false},
    {"prod", 0x220f, false},
    {"prop", 0x221d, false},
    {"psi", 0x03c8, false},
    {"quot", 0x0022, true},
    {"rArr", 0x21d2, false},
    {"radic", 0x221a, false},
    {"rang", 0x232a, false},
    {"raquo", 0x00bb, true},
    {"rarr", 0x2192, false},
    {"rceil", 0x2309, false},
    {"rdquo", 0x201d, false},
    {"real", 0x211c, false},
    {"reg", 0x00ae, true},
    {"rfloor", 0x230b, false},
    {"rho", 0x03c1, false},
    {"rlm", 0x200f, false},
    {"rsaquo", 0x203a, false},
    {"rsquo", 0x2019, false},
    {"sbquo", 0x201a, false},
    {"scaron", 0x0161, false},
    {"sdot", 0x22c5, false},
    {"sect", 0x00a7, true},
    {"shy", 0x00ad, true},
    {"sigma", 0x03c3, false},
    {"sigmaf", 0x03c2, false},
    {"sim", 0x223c, false},
    {"spades", 0x2660, false},
    {"sub", 0x2282, false},
    {"sube", 0x2286, false},
    {"sum", 0x2211, false},
    {"sup", 0x2283, false},
    {"sup1", 0x00b9, true},
    {"sup2", 0x00b2, true},
    {"sup3", 0x00b3, true},
    {"supe", 0x2287, false},
    {"szlig", 0x00df, true},
    {"tau", 0x03c4, false},
    {"there4", 0x2234, false},
    {"theta", 0x03b8, false},
    {"thetasym", 0x03d1, false},
    {"thinsp", 0x2009, false},
    {"thorn", 0x00fe, true},
    {"tilde", 0x02dc, false},
    {"times", 0x00d7, true},
    {"trade", 0x2122, false},
    {"uArr", 0x21d1, false},
    {"uacute", 0x00fa, true},
    {"uarr", 0x2191, false},
    {"ucirc", 0x00fb, true},
    {"ugrave", 0x00f9, true},
    {"uml", 0x00a8, true},
    {"upsih", 0x03d2, false},
    {"upsilon", 0x03c5, false},
    {"uuml", 0x00fc, true},
    {"weierp", 0x2118, false},
    {"xi", 0x03be, false},
    {"yacute", 0x00fd, true},
    {"yen", 0x00a5, true},
    {"yuml", 0x00ff, true},
    {"zeta", 0x03b6, false},
    {"zwj", 0x200d, false},
    {"zwnj", 0x200c, false},
}};

const NamedEntity *findEntity(std::string_view name)
{
    const auto it = std::lower_bound(kEntities.begin(), kEntities.end(), name,
                                     [](const NamedEntity &e, std::string_view n) { return e.name < n; });
    return it != kEntities.end() && it->name == name ? &*it : nullptr;
}

void appendUtf8(std::string &out, char32_t cp)
{
    if (cp < 0x80) {
        out.push_back(char(cp));
    } else if (cp < 0x800) {
        out.push_back(char(0xc0 | (cp >> 6)));
        out.push_back(char(0x80 | (cp & 0x3f)));
    } else if (cp < 0x10000) {
        out.push_back(char(0xe0 | (cp >> 12)));
        out.push_back(char(0x80 | ((cp >> 6) & 0x3f)));
        out.push_back(char(0x80 | (cp & 0x3f)));
    } else {
        out.push_back(char(0xf0 | (cp >> 18)));
        out.push_back(char(0x80 | ((cp >> 12) & 0x3f)));
        out.push_back(char(0x80 | ((cp >> 6) & 0x3f)));
        out.push_back(char(0x80 | (cp & 0x3f)));
    }
}

bool isAsciiAlnum(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// The HTML5 rules for a numeric reference's value: NUL, surrogates and values
// past U+10FFFF become U+FFFD; 0x80-0x9F are read as Windows-1252, as browsers do.
char32_t numericReferenceValue(char32_t value)
{
    static constexpr std::array<char16_t, 32> kC1{
        0x20ac, 0x0081, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
        0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008d, 0x017d, 0x008f,
        0x0090, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
        0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x009d, 0x017e, 0x0178,
    };
    if (value == 0 || value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff))
        return 0xfffd;
    if (value >= 0x80 && value <= 0x9f)
        return kC1[value - 0x80];
    return value;
}

// Decodes the reference that starts at text[pos] == '&'. Returns how many bytes
// it used (0 when it is not a reference and the '&' is literal).
std::size_t decodeReference(std::string_view text, std::size_t pos, std::string &out)
{
    std::size_t i = pos + 1;
    if (i < text.size() && text[i] == '#') {
        ++i;
        const bool hex = i < text.size() && (text[i] == 'x' || text[i] == 'X');
        if (hex)
            ++i;
        const std::size_t digitsStart = i;
        char32_t value = 0;
        for (; i < text.size(); ++i) {
            const int digit = hex ? hexValue(text[i]) : (text[i] >= '0' && text[i] <= '9' ? text[i] - '0' : -1);
            if (digit < 0)
                break;
            // Saturate: anything this large is out of range anyway.
            value = value > 0x10ffff ? value : value * (hex ? 16 : 10) + char32_t(digit);
        }
        if (i == digitsStart)
            return 0;
        if (i < text.size() && text[i] == ';')
            ++i;
        appendUtf8(out, numericReferenceValue(value));
        return i - pos;
    }

    std::size_t end = i;
    while (end < text.size() && end - i < 32 && isAsciiAlnum(text[end]))
        ++end;
    if (end == i)
        return 0;
    if (end < text.size() && text[end] == ';') {
        if (const NamedEntity *entity = findEntity(text.substr(i, end - i))) {
            appendUtf8(out, entity->codePoint);
            return end + 1 - pos;
        }
    }
    // Legacy names are recognised without ';', longest first ("&notin" -> "¬in").
    for (std::size_t len = end - i; len > 0; --len) {
        const NamedEntity *entity = findEntity(text.substr(i, len));
        if (entity && entity->legacy) {
            appendUtf8(out, entity->codePoint);
            return 1 + len;
        }
    }
    return 0;
}

} // namespace

void appendHtmlDecoded(std::string &out, std::string_view text)
{
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t amp = text.find('&', pos);
        if (amp == std::string_view::npos) {
            out.append(text.substr(pos));
            return;
        }
        out.append(text.substr(pos, amp - pos));
        const std::size_t used = decodeReference(text, amp, out);
        if (used == 0) {
            out.push_back('&');
            pos = amp + 1;
        } else {
            pos = amp + used;
        }
    }
}

std::string decodeHtmlEntities(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    appendHtmlDecoded(out, text);
    return out;
}

} // namespace rag
