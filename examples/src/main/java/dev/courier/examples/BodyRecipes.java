package dev.courier.examples;

import dev.courier.Authenticator;
import dev.courier.CacheControl;
import dev.courier.FormBody;
import dev.courier.MediaType;
import dev.courier.MultipartBody;
import dev.courier.Request;
import dev.courier.RequestBody;
import dev.courier.Response;
import dev.courier.chain.CourierClient;
import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The code of docs/recipes.md about bodies, authentication and cache directives. Each recipe
 * stands between a {@code // recipe:} line and a {@code // end} line; BodyRecipesTest runs every
 * one against a local server, and RecipesTest checks that the page shows exactly this code.
 */
final class BodyRecipes {
  private final CourierClient client;

  BodyRecipes(CourierClient client) {
    this.client = client;
  }

  String postForm(String url) throws IOException {
    // recipe: post-form
    RequestBody formBody = new FormBody.Builder()
        .add("search", "Jurassic Park")
        .add("year", "1993")
        .build();
    Request request = new Request.Builder()
        .url(url)
        .post(formBody)
        .build();
    try (Response response = client.newCall(request).execute()) {
      if (!response.isSuccessful()) throw new IOException("Unexpected code " + response);
      return response.body().string();
    }
    // end
  }

  String postMultipart(String url, File file) throws IOException {
    // recipe: post-multipart
    // The file is read as it is sent, never held in memory whole.
    RequestBody requestBody = new MultipartBody.Builder()
        .setType(MultipartBody.FORM)
        .addFormDataPart("title", "Courier logo")
        .addFormDataPart("image", "logo.png", RequestBody.create(file, MediaType.get("image/png")))
        .build();
    Request request = new Request.Builder()
        .url(url)
        .post(requestBody)
        .build();
    try (Response response = client.newCall(request).execute()) {
      if (!response.isSuccessful()) throw new IOException("Unexpected code " + response);
      return response.body().string();
    }
    // end
  }

  String peekBody(String url, List<String> log) throws IOException {
    // recipe: peek-body
    Request request = new Request.Builder().url(url).build();
    try (Response response = client.newCall(request).execute()) {
      // A copy of at most 64 bytes, for the log; the body still reads from its first byte.
      log.add(response.code() + " " + response.peekBody(64).string());
      return response.body().string();
    }
    // end
  }

  static CourierClient basicAuthentication(String user, String password) {
    // recipe: basic-authentication
    CourierClient client = CourierClient.builder()
        .authenticator(Authenticator.basic(user, password))
        .build();
    // end
    return client;
  }

  static List<Request> cacheControl(String url) {
    // recipe: cache-control
    // Validate with the server even if a cache holds a fresh copy...
    Request refresh = new Request.Builder()
        .url(url)
        .cacheControl(CacheControl.FORCE_NETWORK)
        .build();
    // ...or accept a stored copy up to an hour past its freshness.
    Request patient = new Request.Builder()
        .url(url)
        .cacheControl(CacheControl.builder().maxStale(1, TimeUnit.HOURS).build())
        .build();
    // end
    return List.of(refresh, patient);
  }
}
