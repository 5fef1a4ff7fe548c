package dev.courier;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * An http or https URL, such as {@code https://example.com/search?q=courier#top}, held in canonical
 * form.
 *
 * <p>Parsing follows the WHATWG URL Standard for http and https, and RFC 3986 for resolving
 * references. Every URL is canonicalized: the scheme and host are lowercase, internationalized
 * hosts are mapped with UTS #46 non-transitional processing and written as punycode ({@code
 * faß.example} is {@code xn--fa-hia.example}), IP addresses are normalized, the default port is
 * omitted, {@code .} and {@code ..} path segments are resolved, and characters that the WHATWG URL
 * Standard encodes in a component are percent-encoded (UTF-8). Everything else is kept as it is,
 * including existing {@code %XX} escapes, a lone '%', and characters such as '{' or '|' in a path,
 * so the string form matches what browsers produce. Two URLs are equal exactly when their
 * canonical strings are. {@link #uri()} escapes what {@link URI} refuses and never fails.
 *
 * <p>Each component is offered in encoded form ({@link #encodedPath()}) and decoded form ({@link
 * #pathSegments()}). Query parameter names and values decode '+' as a space, as HTML forms do.
 *
 * <p>Instances are immutable and thread-safe. Create one with {@link #parse(String)} or a {@link
 * Builder}.
 */
public final class HttpUrl {
  private final String scheme;
  private final String encodedUsername;
  private final String encodedPassword;
  private final String host;
  private final int port;
  private final List<String> encodedPathSegments;
  private final String encodedPath;
  private final String encodedQuery;
  private final String encodedFragment;
  private final String url;

  private HttpUrl(Builder builder, String encodedQuery, String parsedFrom) {
    this.scheme = builder.scheme;
    this.encodedUsername = builder.encodedUsername;
    this.encodedPassword = builder.encodedPassword;
    this.host = builder.host;
    this.port = builder.port != -1 ? builder.port : defaultPort(builder.scheme);
    List<String> segments = builder.encodedPathSegments;
    // One segment, as in most URLs, needs no array: List.copyOf would make one to copy from.
    this.encodedPathSegments = segments.size() == 1 ? List.of(segments.get(0)) : List.copyOf(segments);
    this.encodedQuery = encodedQuery;
    this.encodedFragment = builder.encodedFragment;

    StringBuilder out = new StringBuilder(estimateLength());
    appendOrigin(out, encodedUsername, encodedPassword);
    int pathStart = out.length();
    UrlPathSegments.appendPath(out, encodedPathSegments);
    this.encodedPath = out.substring(pathStart);
    if (encodedQuery != null) out.append('?').append(encodedQuery);
    if (encodedFragment != null) out.append('#').append(encodedFragment);
    // A URL given in canonical form, as most are, keeps the caller's string.
    this.url = parsedFrom != null && parsedFrom.contentEquals(out) ? parsedFrom : out.toString();
  }

  /**
   * Creates the URL {@code url}, given as its canonical string and the components it is made of;
   * for {@link UrlCanonicalForm}, which has checked that they agree.
   */
  HttpUrl(String scheme, String host, int port, List<String> encodedPathSegments,
      String encodedPath, String encodedQuery, String encodedFragment, String url) {
    this.scheme = scheme;
    this.encodedUsername = "";
    this.encodedPassword = "";
    this.host = host;
    this.port = port;
    this.encodedPathSegments = encodedPathSegments;
    this.encodedPath = encodedPath;
    this.encodedQuery = encodedQuery;
    this.encodedFragment = encodedFragment;
    this.url = url;
  }

  /**
   * Returns the URL {@code url}, such as {@code https://example.com/path}.
   *
   * @throws IllegalArgumentException if {@code url} is not a valid http or https URL; the message
   *     names the part that is wrong
   */
  public static HttpUrl parse(String url) {
    // Most URLs are given in canonical form: taken apart in one scan, without a builder.
    HttpUrl canonical = UrlCanonicalForm.parse(url);
    return canonical != null ? canonical : UrlParser.parse(null, url).build(url);
  }

  /**
   * Returns the URL {@code url}, or null if it is not a valid http or https URL.
   *
   * @return the parsed URL, or null
   */
  public static HttpUrl parseOrNull(String url) {
    try {
      return parse(url);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * Returns {@code uri} as an HttpUrl.
   *
   * @throws IllegalArgumentException if {@code uri} is not a valid http or https URL
   */
  public static HttpUrl get(URI uri) {
    return parse(uri.toString());
  }

  /**
   * Returns {@code url} as an HttpUrl.
   *
   * @throws IllegalArgumentException if {@code url} is not a valid http or https URL
   */
  public static HttpUrl get(URL url) {
    return parse(url.toString());
  }

  /** Returns 80 for {@code http}, 443 for {@code https} and -1 for any other scheme. */
  public static int defaultPort(String scheme) {
    switch (scheme) {
      case "http":
        return 80;
      case "https":
        return 443;
      default:
        return -1;
    }
  }

  /** Returns the scheme, {@code http} or {@code https}. */
  public String scheme() {
    return scheme;
  }

  /** Returns true if the scheme is {@code https}. */
  public boolean isHttps() {
    return scheme.equals("https");
  }

  /** Returns the percent-encoded user name, or the empty string if there is none. */
  public String encodedUsername() {
    return encodedUsername;
  }

  /** Returns the decoded user name, or the empty string if there is none. */
  public String username() {
    return UrlPercentEncoding.decode(encodedUsername, false);
  }

  /** Returns the percent-encoded password, or the empty string if there is none. */
  public String encodedPassword() {
    return encodedPassword;
  }

  /** Returns the decoded password, or the empty string if there is none. */
  public String password() {
    return UrlPercentEncoding.decode(encodedPassword, false);
  }

  /**
   * Returns the canonical host: a lowercase ASCII domain name (punycode for internationalized
   * names, such as {@code xn--n3h.net}), a dotted-decimal IPv4 address, or an IPv6 address in
   * compressed form without brackets, such as {@code ::1}.
   */
  public String host() {
    return host;
  }

  /** Returns the port: the explicit one, or the scheme's default (80 or 443) if there is none. */
  public int port() {
    return port;
  }

  /** Returns the number of path segments; {@code /} has one, the empty segment. */
  public int pathSize() {
    return encodedPathSegments.size();
  }

  /** Returns the percent-encoded path, which starts with '/', such as {@code /a%20b/c}. */
  public String encodedPath() {
    return encodedPath;
  }

  /**
   * Returns the percent-encoded path segments: {@code ["a", "b"]} for {@code /a/b}, {@code ["a",
   * ""]} for {@code /a/} and {@code [""]} for {@code /}. The list is immutable.
   */
  public List<String> encodedPathSegments() {
    return encodedPathSegments;
  }

  /** Returns the decoded path segments, as {@link #encodedPathSegments()} splits them. Immutable. */
  public List<String> pathSegments() {
    String[] decoded = new String[encodedPathSegments.size()];
    for (int i = 0; i < decoded.length; i++) {
      decoded[i] = UrlPercentEncoding.decode(encodedPathSegments.get(i), false);
    }
    return List.of(decoded);
  }

  /**
   * Returns the percent-encoded query without its leading '?', the empty string for a URL ending
   * in '?', or null if there is no query.
   *
   * @return the encoded query, or null
   */
  public String encodedQuery() {
    return encodedQuery;
  }

  /**
   * Returns the decoded query, with '+' decoded as a space, or null if there is no query.
   *
   * @return the decoded query, or null
   */
  public String query() {
    return encodedQuery != null ? UrlPercentEncoding.decode(encodedQuery, true) : null;
  }

  /** Returns the number of query parameters; a URL without a query or with an empty one has none. */
  public int querySize() {
    return UrlQuery.size(encodedQuery);
  }

  /**
   * Returns the decoded name of query parameter {@code index}.
   *
   * @throws IndexOutOfBoundsException if {@code index} is not less than {@link #querySize()}
   */
  public String queryParameterName(int index) {
    return UrlQuery.decodedAt(encodedQuery, index, false);
  }

  /**
   * Returns the decoded value of query parameter {@code index}, or null if it has no '='.
   *
   * @return the decoded value, or null
   * @throws IndexOutOfBoundsException if {@code index} is not less than {@link #querySize()}
   */
  public String queryParameterValue(int index) {
    return UrlQuery.decodedAt(encodedQuery, index, true);
  }

  /**
   * Returns the decoded value of the first query parameter named {@code name}, or null if there is
   * none or it has no '='.
   *
   * @return the decoded value, or null
   */
  public String queryParameter(String name) {
    List<String> values = UrlQuery.decodedValues(encodedQuery, name, 1);
    return values.isEmpty() ? null : values.get(0);
  }

  /**
   * Returns the decoded values of every query parameter named {@code name}, in query order, with
   * null for a parameter without '='. The list is immutable and empty if there are none.
   */
  public List<String> queryParameterValues(String name) {
    return UrlQuery.decodedValues(encodedQuery, name, Integer.MAX_VALUE);
  }

  /** Returns the distinct decoded query parameter names in query order. The set is immutable. */
  public Set<String> queryParameterNames() {
    return UrlQuery.decodedNames(encodedQuery);
  }

  /**
   * Returns the percent-encoded fragment without its leading '#', or null if there is none.
   *
   * @return the encoded fragment, or null
   */
  public String encodedFragment() {
    return encodedFragment;
  }

  /**
   * Returns the decoded fragment, or null if there is none.
   *
   * @return the decoded fragment, or null
   */
  public String fragment() {
    return encodedFragment != null ? UrlPercentEncoding.decode(encodedFragment, false) : null;
  }

  /**
   * Returns this URL reduced to its scheme, host and port followed by {@code /...}, such as {@code
   * https://example.com/...}, for logs: user name, password, path, query and fragment may hold
   * secrets.
   */
  public String redact() {
    StringBuilder out = new StringBuilder(host.length() + 24);
    appendOrigin(out, "", "");
    return out.append("/...").toString();
  }

  /**
   * Returns the URL that {@code link} refers to when found in this URL's document, resolved per RFC
   * 3986 §5.2, or null if {@code link} is invalid or names a scheme other than http or https.
   *
   * @return the resolved URL, or null
   */
  public HttpUrl resolve(String link) {
    Builder builder = newBuilder(link);
    return builder != null ? builder.build() : null;
  }

  /** Returns a builder that starts as a copy of this URL. */
  public Builder newBuilder() {
    Builder builder = new Builder();
    builder.scheme = scheme;
    builder.encodedUsername = encodedUsername;
    builder.encodedPassword = encodedPassword;
    builder.host = host;
    // Keep an explicit port only if it differs from the default, so that changing the scheme
    // moves a default port along with it.
    builder.port = port != defaultPort(scheme) ? port : -1;
    builder.encodedPathSegments.clear();
    builder.encodedPathSegments.addAll(encodedPathSegments);
    builder.encodedQuery = encodedQuery;
    builder.encodedFragment = encodedFragment;
    return builder;
  }

  /**
   * Returns a builder for the URL that {@code link} refers to relative to this one, or null if
   * {@code link} is invalid or names a scheme other than http or https.
   *
   * @return a builder for the resolved URL, or null
   */
  public Builder newBuilder(String link) {
    try {
      return UrlParser.parse(this, link);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * Returns this URL as a {@link URI}. Characters that the canonical string keeps but {@code URI}
   * refuses, such as a lone '%' or a '{' in the path, are percent-encoded, so this never throws.
   */
  public URI uri() {
    boolean[] pathSet = UrlPercentEncoding.URI_PATH;
    boolean[] querySet = UrlPercentEncoding.URI_QUERY;
    StringBuilder out = new StringBuilder(url.length() + 16);
    // User info keeps only one character that URI refuses: a lone '%'.
    appendOrigin(out, UrlPercentEncoding.uriSafe(encodedUsername, pathSet),
        UrlPercentEncoding.uriSafe(encodedPassword, pathSet));
    for (int i = 0, size = encodedPathSegments.size(); i < size; i++) {
      out.append('/').append(UrlPercentEncoding.uriSafe(encodedPathSegments.get(i), pathSet));
    }
    if (encodedQuery != null) {
      out.append('?').append(UrlPercentEncoding.uriSafe(encodedQuery, querySet));
    }
    if (encodedFragment != null) {
      out.append('#').append(UrlPercentEncoding.uriSafe(encodedFragment, querySet));
    }
    String uri = out.toString();
    try {
      return new URI(uri);
    } catch (URISyntaxException e) {
      // Unreachable: every character that URI refuses has been escaped.
      throw new IllegalStateException("Not a valid URI: " + uri, e);
    }
  }

  /** Returns true if {@code other} is an HttpUrl with the same canonical string. */
  @Override
  public boolean equals(Object other) {
    return other instanceof HttpUrl && ((HttpUrl) other).url.equals(url);
  }

  /** Returns the hash code of the canonical string. */
  @Override
  public int hashCode() {
    return url.hashCode();
  }

  /** Returns the canonical URL, such as {@code https://example.com/a%20b?q=1}. */
  @Override
  public String toString() {
    return url;
  }

  /** Returns an upper bound on the URL's length in most cases, so that building it copies once. */
  private int estimateLength() {
    // scheme "://" userinfo ":" "@" "[" host "]" ":" port
    int length = 19 + encodedUsername.length() + encodedPassword.length() + host.length();
    for (int i = 0, size = encodedPathSegments.size(); i < size; i++) {
      length += 1 + encodedPathSegments.get(i).length();
    }
    if (encodedQuery != null) length += 1 + encodedQuery.length();
    if (encodedFragment != null) length += 1 + encodedFragment.length();
    return length;
  }

  /** Appends {@code scheme://[username[:password]@]host[:port]} to {@code out}. */
  private void appendOrigin(StringBuilder out, String username, String password) {
    out.append(scheme).append("://");
    if (!username.isEmpty() || !password.isEmpty()) {
      out.append(username);
      if (!password.isEmpty()) out.append(':').append(password);
      out.append('@');
    }
    appendHost(out, host);
    if (port != defaultPort(scheme)) out.append(':').append(port);
  }

  private static void appendHost(StringBuilder out, String host) {
    if (host.indexOf(':') != -1) {
      out.append('[').append(host).append(']');
    } else {
      out.append(host);
    }
  }

  /**
   * Builds an {@link HttpUrl} piece by piece. A new builder has no scheme or host, the path
   * {@code /}, the default port and no user info, query or fragment.
   *
   * <p>Setters that take decoded text encode it; setters named {@code encoded...} take text that is
   * already percent-encoded, keep its valid escapes and encode whatever else must be. Builders are
   * not thread-safe.
   */
  public static final class Builder {
    String scheme;
    String encodedUsername = "";
    String encodedPassword = "";
    String host;
    /** The explicit port, or -1 for the scheme's default. */
    int port = -1;
    final List<String> encodedPathSegments = new ArrayList<>(4);
    /** The encoded query, or null if there is none. Unused while {@link #queryNamesAndValues} is set. */
    String encodedQuery;
    /** The encoded query split into parameters, once parameters have been edited; else null. */
    private List<String> queryNamesAndValues;
    String encodedFragment;

    /** Creates a builder with no scheme or host and the path {@code /}. */
    public Builder() {
      encodedPathSegments.add("");
    }

    /**
     * Sets the scheme, {@code http} or {@code https}, ignoring case.
     *
     * @throws IllegalArgumentException if {@code scheme} is neither
     */
    public Builder scheme(String scheme) {
      if (scheme.equalsIgnoreCase("http")) {
        this.scheme = "http";
      } else if (scheme.equalsIgnoreCase("https")) {
        this.scheme = "https";
      } else {
        throw new IllegalArgumentException(
            "Expected URL scheme 'http' or 'https' but was '" + UrlParser.quote(scheme) + "'");
      }
      return this;
    }

    /** Sets the decoded user name; the empty string, the default, means none. */
    public Builder username(String username) {
      this.encodedUsername = UrlPercentEncoding.canonicalize(username, UrlPercentEncoding.USERINFO, false);
      return this;
    }

    /** Sets the percent-encoded user name; the empty string, the default, means none. */
    public Builder encodedUsername(String encodedUsername) {
      this.encodedUsername =
          UrlPercentEncoding.canonicalize(encodedUsername, UrlPercentEncoding.USERINFO, true);
      return this;
    }

    /** Sets the decoded password; the empty string, the default, means none. */
    public Builder password(String password) {
      this.encodedPassword = UrlPercentEncoding.canonicalize(password, UrlPercentEncoding.USERINFO, false);
      return this;
    }

    /** Sets the percent-encoded password; the empty string, the default, means none. */
    public Builder encodedPassword(String encodedPassword) {
      this.encodedPassword =
          UrlPercentEncoding.canonicalize(encodedPassword, UrlPercentEncoding.USERINFO, true);
      return this;
    }

    /**
     * Sets the host: a domain name (internationalized names are converted to punycode), an IPv4
     * address, or an IPv6 address with or without brackets. Percent-escapes are decoded first.
     *
     * @throws IllegalArgumentException if {@code host} is not a valid host
     */
    public Builder host(String host) {
      String canonical = UrlHostParser.canonicalHost(host, 0, host.length());
      if (canonical == null) {
        throw new IllegalArgumentException("Invalid URL host: \"" + UrlParser.quote(host) + "\"");
      }
      this.host = canonical;
      return this;
    }

    /**
     * Sets the port. The default is the scheme's default port, which the URL string omits.
     *
     * @throws IllegalArgumentException if {@code port} is not in 0..65535
     */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("Invalid URL port: \"" + port + "\"");
      }
      this.port = port;
      return this;
    }

    /**
     * Appends one decoded path segment; a '/' in it is encoded. If the path ends with '/', the
     * segment takes the place of the empty last segment. {@code .} is ignored and {@code ..}
     * removes the last segment.
     */
    public Builder addPathSegment(String pathSegment) {
      UrlPathSegments.push(encodedPathSegments,
          UrlPercentEncoding.canonicalize(pathSegment, UrlPercentEncoding.PATH_SEGMENT, false), false);
      return this;
    }

    /** Appends one percent-encoded path segment, as {@link #addPathSegment} does. */
    public Builder addEncodedPathSegment(String encodedPathSegment) {
      UrlPathSegments.push(encodedPathSegments, UrlPercentEncoding.canonicalize(
          encodedPathSegment, UrlPercentEncoding.PATH_SEGMENT, true), false);
      return this;
    }

    /**
     * Appends decoded path segments separated by '/', such as {@code a/b/c}; a trailing '/' leaves
     * the path ending with '/'.
     */
    public Builder addPathSegments(String pathSegments) {
      return addPathSegments(pathSegments, false);
    }

    /**
     * Appends percent-encoded path segments separated by '/' or '\', such as {@code a%20b/c}; a
     * trailing slash leaves the path ending with '/'.
     */
    public Builder addEncodedPathSegments(String encodedPathSegments) {
      return addPathSegments(encodedPathSegments, true);
    }

    private Builder addPathSegments(String segments, boolean alreadyEncoded) {
      int pos = 0;
      int limit = segments.length();
      while (true) {
        int end = pos;
        while (end < limit) {
          char c = segments.charAt(end);
          if (c == '/' || (c == '\\' && alreadyEncoded)) break;
          end++;
        }
        boolean slashFollows = end < limit;
        UrlPathSegments.push(encodedPathSegments, UrlPercentEncoding.canonicalize(
            segments, pos, end, UrlPercentEncoding.PATH_SEGMENT, alreadyEncoded), slashFollows);
        if (!slashFollows) return this;
        pos = end + 1;
      }
    }

    /**
     * Replaces path segment {@code index} with the decoded {@code pathSegment}.
     *
     * @throws IllegalArgumentException if the segment is {@code .} or {@code ..}
     * @throws IndexOutOfBoundsException if there is no segment {@code index}
     */
    public Builder setPathSegment(int index, String pathSegment) {
      return setPathSegment(index, pathSegment, false);
    }

    /**
     * Replaces path segment {@code index} with the percent-encoded {@code encodedPathSegment}.
     *
     * @throws IllegalArgumentException if the segment is {@code .} or {@code ..}, or an encoded form
     *     of either
     * @throws IndexOutOfBoundsException if there is no segment {@code index}
     */
    public Builder setEncodedPathSegment(int index, String encodedPathSegment) {
      return setPathSegment(index, encodedPathSegment, true);
    }

    private Builder setPathSegment(int index, String segment, boolean alreadyEncoded) {
      String canonical = UrlPercentEncoding.canonicalize(
          segment, UrlPercentEncoding.PATH_SEGMENT, alreadyEncoded);
      if (UrlPathSegments.isDot(canonical) || UrlPathSegments.isDotDot(canonical)) {
        throw new IllegalArgumentException("Unexpected path segment: \"" + segment + "\"");
      }
      encodedPathSegments.set(index, canonical);
      return this;
    }

    /**
     * Removes path segment {@code index}; removing the only segment leaves the path {@code /}.
     *
     * @throws IndexOutOfBoundsException if there is no segment {@code index}
     */
    public Builder removePathSegment(int index) {
      encodedPathSegments.remove(index);
      if (encodedPathSegments.isEmpty()) encodedPathSegments.add("");
      return this;
    }

    /**
     * Replaces the path with the percent-encoded {@code encodedPath}, resolving {@code .} and
     * {@code ..} segments.
     *
     * @throws IllegalArgumentException if {@code encodedPath} does not start with '/'
     */
    public Builder encodedPath(String encodedPath) {
      if (!encodedPath.startsWith("/") && !encodedPath.startsWith("\\")) {
        throw new IllegalArgumentException(
            "Expected encoded path to start with '/' but was \"" + UrlParser.quote(encodedPath) + "\"");
      }
      UrlPathSegments.resolve(encodedPathSegments, encodedPath, 0, encodedPath.length());
      return this;
    }

    /**
     * Replaces the query with the decoded {@code query}, whose '&amp;' and '=' keep their meaning;
     * null removes the query.
     */
    public Builder query(String query) {
      queryNamesAndValues = null;
      encodedQuery = query != null
          ? UrlPercentEncoding.canonicalize(query, UrlPercentEncoding.QUERY_DECODED, false)
          : null;
      return this;
    }

    /** Replaces the query with the percent-encoded {@code encodedQuery}; null removes the query. */
    public Builder encodedQuery(String encodedQuery) {
      queryNamesAndValues = null;
      this.encodedQuery = encodedQuery != null
          ? UrlPercentEncoding.canonicalize(encodedQuery, UrlPercentEncoding.QUERY, true)
          : null;
      return this;
    }

    /**
     * Appends the query parameter {@code name=value}, both decoded; a null value appends {@code
     * name} without '='. Characters such as '&amp;', '=' and '+' are encoded.
     */
    public Builder addQueryParameter(String name, String value) {
      return addQueryParameter(name, value, UrlPercentEncoding.QUERY_COMPONENT, false);
    }

    /** Appends the query parameter {@code name=value}, both percent-encoded; a null value omits '='. */
    public Builder addEncodedQueryParameter(String encodedName, String encodedValue) {
      return addQueryParameter(
          encodedName, encodedValue, UrlPercentEncoding.QUERY_COMPONENT_ENCODED, true);
    }

    private Builder addQueryParameter(
        String name, String value, boolean[] encodeSet, boolean alreadyEncoded) {
      if (name == null) throw new NullPointerException("name == null");
      List<String> namesAndValues = editableQuery();
      namesAndValues.add(UrlPercentEncoding.canonicalize(name, encodeSet, alreadyEncoded));
      namesAndValues.add(
          value != null ? UrlPercentEncoding.canonicalize(value, encodeSet, alreadyEncoded) : null);
      return this;
    }

    /** Replaces every query parameter named {@code name} with one {@code name=value}, decoded. */
    public Builder setQueryParameter(String name, String value) {
      removeAllQueryParameters(name);
      return addQueryParameter(name, value);
    }

    /** Replaces every query parameter named {@code encodedName} with one, percent-encoded. */
    public Builder setEncodedQueryParameter(String encodedName, String encodedValue) {
      removeAllEncodedQueryParameters(encodedName);
      return addEncodedQueryParameter(encodedName, encodedValue);
    }

    /**
     * Removes every query parameter whose decoded name is {@code name}. If none remain, the query
     * is removed.
     */
    public Builder removeAllQueryParameters(String name) {
      return removeAll(name, true);
    }

    /**
     * Removes every query parameter whose encoded name is {@code encodedName} once canonicalized. If
     * none remain, the query is removed.
     */
    public Builder removeAllEncodedQueryParameters(String encodedName) {
      return removeAll(UrlPercentEncoding.canonicalize(
          encodedName, UrlPercentEncoding.QUERY_COMPONENT_ENCODED, true), false);
    }

    private Builder removeAll(String name, boolean decoded) {
      if (name == null) throw new NullPointerException("name == null");
      if (queryNamesAndValues == null && encodedQuery == null) return this;
      List<String> namesAndValues = editableQuery();
      UrlQuery.removeAll(namesAndValues, name, decoded);
      if (namesAndValues.isEmpty()) queryNamesAndValues = null;
      return this;
    }

    /** Returns the query as an editable parameter list, splitting the encoded query on first use. */
    private List<String> editableQuery() {
      if (queryNamesAndValues == null) {
        queryNamesAndValues = encodedQuery != null ? UrlQuery.split(encodedQuery) : new ArrayList<>();
        encodedQuery = null;
      }
      return queryNamesAndValues;
    }

    /** Sets the decoded fragment; null, the default, removes it. */
    public Builder fragment(String fragment) {
      this.encodedFragment = fragment != null
          ? UrlPercentEncoding.canonicalize(fragment, UrlPercentEncoding.FRAGMENT, false)
          : null;
      return this;
    }

    /** Sets the percent-encoded fragment; null, the default, removes it. */
    public Builder encodedFragment(String encodedFragment) {
      this.encodedFragment = encodedFragment != null
          ? UrlPercentEncoding.canonicalize(encodedFragment, UrlPercentEncoding.FRAGMENT, true)
          : null;
      return this;
    }

    /**
     * Returns the URL.
     *
     * @throws IllegalArgumentException if the scheme or host has not been set
     */
    public HttpUrl build() {
      return build(null);
    }

    /** Returns the URL, reusing {@code parsedFrom}, if not null, as its string form if equal. */
    HttpUrl build(String parsedFrom) {
      if (scheme == null) throw new IllegalArgumentException("scheme == null");
      if (host == null) throw new IllegalArgumentException("host == null");
      String query = queryNamesAndValues != null ? UrlQuery.join(queryNamesAndValues) : encodedQuery;
      return new HttpUrl(this, query, parsedFrom);
    }

    /** Returns the URL built so far, for debugging; it may lack a scheme or host. */
    @Override
    public String toString() {
      StringBuilder out = new StringBuilder();
      if (scheme != null) out.append(scheme).append("://");
      else out.append("//");
      if (!encodedUsername.isEmpty() || !encodedPassword.isEmpty()) {
        out.append(encodedUsername);
        if (!encodedPassword.isEmpty()) out.append(':').append(encodedPassword);
        out.append('@');
      }
      if (host != null) appendHost(out, host);
      if (port != -1 && (scheme == null || port != defaultPort(scheme))) out.append(':').append(port);
      UrlPathSegments.appendPath(out, encodedPathSegments);
      String query = queryNamesAndValues != null ? UrlQuery.join(queryNamesAndValues) : encodedQuery;
      if (query != null) out.append('?').append(query);
      if (encodedFragment != null) out.append('#').append(encodedFragment);
      return out.toString();
    }
  }
}
