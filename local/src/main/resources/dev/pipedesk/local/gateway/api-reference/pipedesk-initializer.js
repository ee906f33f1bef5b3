// PipeDesk's API reference page (/docs): Swagger UI over the local gateway's own /openapi.yaml.
// Served as a file, not inline, so the page's Content-Security-Policy allows scripts from 'self' only.
window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: '/openapi.yaml',
    dom_id: '#swagger-ui',
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout'
  });
});
